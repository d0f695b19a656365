package io.oddball.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Encoders;

/**
 * Saves and reads Oddball's stages as Spark's {@code DefaultParamsWriter}/{@code DefaultParamsReader} do (which Java
 * code cannot reach): one JSON line in {@code PATH/metadata} with the class, uid, Spark version and the set and
 * default parameters, so that {@code PipelineModel.load} finds the class and calls its {@code read()}. The detector
 * itself stays where {@code detectorPath} points.
 */
final class StageIO {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StageIO() {
    }

    static String metadata(Params stage, String sparkVersion) {
        ObjectNode root = JSON.createObjectNode();
        root.put("class", stage.getClass().getName());
        root.put("timestamp", System.currentTimeMillis());
        root.put("sparkVersion", sparkVersion);
        root.put("uid", stage.uid());
        ObjectNode set = root.putObject("paramMap");
        ObjectNode defaults = root.putObject("defaultParamMap");
        try {
            for (Param<?> p : stage.params()) {
                if (stage.isSet(p)) {
                    set.set(p.name(), JSON.readTree(encode(p, stage.getOrDefault(p))));
                }
                if (stage.hasDefault(p)) {
                    defaults.set(p.name(), JSON.readTree(encode(p, stage.getDefault(p).get())));
                }
            }
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String encode(Param p, Object value) {
        return p.jsonEncode(value);
    }

    /** Sets on {@code stage} the parameters of {@code json}'s {@code paramMap} and {@code defaultParamMap}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void apply(Params stage, JsonNode json, boolean defaults) {
        JsonNode map = json.get(defaults ? "defaultParamMap" : "paramMap");
        if (map == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!stage.hasParam(e.getKey())) {
                throw new IllegalArgumentException("saved stage " + json.path("uid").asText() + ": expected a "
                        + "parameter of " + stage.getClass().getSimpleName() + ", found '" + e.getKey() + "'");
            }
            Param p = stage.getParam(e.getKey());
            Object v = p.jsonDecode(e.getValue().toString());
            if (defaults) {
                // the defaults are this version's: only the set values are read back
                continue;
            }
            stage.set(p, v);
        }
    }

    /** Writes an {@link OddballModel} or {@link OddballEstimator}. */
    static final class Writer extends MLWriter {
        private final Params stage;

        Writer(Params stage) {
            this.stage = stage;
        }

        @Override
        public void saveImpl(String path) {
            String json = metadata(stage, sparkSession().version());
            sparkSession().createDataset(List.of(json), Encoders.STRING()).coalesce(1).write()
                    .text(new org.apache.hadoop.fs.Path(path, "metadata").toString());
        }
    }

    /** Reads a stage of class {@code type}, made by {@code make} from its uid. */
    static final class Reader<T extends Params> extends MLReader<T> {
        private final Class<T> type;
        private final java.util.function.Function<String, T> make;

        Reader(Class<T> type, java.util.function.Function<String, T> make) {
            this.type = type;
            this.make = make;
        }

        @Override
        public T load(String path) {
            String text = sparkSession().read().text(new org.apache.hadoop.fs.Path(path, "metadata").toString())
                    .first().getString(0);
            JsonNode json;
            try {
                json = JSON.readTree(text);
            } catch (IOException e) {
                throw new IllegalArgumentException(path + "/metadata: expected the JSON of a saved stage, found "
                        + "text that does not parse (" + e.getMessage() + ")", e);
            }
            String cls = json.path("class").asText();
            if (!type.getName().equals(cls)) {
                throw new IllegalArgumentException(path + ": expected a saved " + type.getName()
                        + ", found one of class '" + cls + "'");
            }
            T m = make.apply(json.path("uid").asText());
            apply(m, json, true);
            apply(m, json, false);
            return m;
        }
    }
}
