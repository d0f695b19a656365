package io.oddball.runtime.pipeline;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Api;
import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.DetectorProvider;
import io.oddball.api.Embedder;
import io.oddball.api.EmbedderProvider;
import io.oddball.api.Params;
import io.oddball.api.Scorer;
import io.oddball.api.ScorerProvider;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.runtime.Versions;
import io.oddball.runtime.plugin.Kind;
import io.oddball.runtime.plugin.Providers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves fitted pipelines as detector folders ({@link DetectorFolder}: {@code detector.yaml}, the detector's
 * {@code model/}, a copy of the embedding model in {@code embed/}) and loads them back, checking the format version,
 * the detector type and the input shape, with each component made by its provider.
 */
public final class DetectorStore {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorStore.class);

    private final Providers providers;

    public DetectorStore(Providers providers) {
        this.providers = requireNonNull(providers, "providers is null");
    }

    /**
     * Saves atomically to {@code dir}, which must not exist or be an empty folder, or, with {@code overwrite}, hold a
     * saved detector (replaced once the new one is in place); a folder holding anything else is refused.
     *
     * @throws ConfigException if {@code dir} may not be written; nothing is written then
     */
    public void save(Pipeline pipeline, Path dir, boolean overwrite) {
        Map<String, Object> descriptor = describe(pipeline);
        DetectorFolder.save(dir, descriptor, overwrite, model -> pipeline.withLoader(() -> {
            pipeline.detector().save(model);
            if (pipeline.embed() != null) {
                // detector.yaml is written after the model folders: record the copy's relative location
                descriptor.put("embed", pipeline.embed().save(model.getParent()));
            }
            return null;
        }));
        LOG.info("saved '{}' detector to {}", pipeline.detectorName(), dir);
    }

    /** The {@code detector.yaml} contents of a pipeline. */
    public Map<String, Object> describe(Pipeline p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", DetectorFolder.FORMAT);
        m.put("formatVersion", p.embed() == null ? 1 : DetectorFolder.FORMAT_VERSION);
        m.put("oddballVersion", Versions.ODDBALL);
        m.put("apiVersion", Api.VERSION);
        Map<String, Object> det = new LinkedHashMap<>();
        det.put("type", p.detectorName());
        det.put("version", p.detectorVersion());
        m.put("detector", det);
        Shape shape = p.detector().inputShape();
        List<Integer> dims = new ArrayList<>();
        for (int v : shape == null ? new int[0] : shape.dims()) {
            dims.add(v);
        }
        m.put("inputShape", dims);
        m.put("hyperParameters", new LinkedHashMap<>(p.detector().hyperParameters()));
        m.put("preprocess", p.preprocessor().describe());
        if (p.embed() != null) {
            m.put("embed", new LinkedHashMap<>(p.embed().describe()));
        }
        m.put("scorer", p.scorerSpec().describe());
        m.put("threshold", threshold(p));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("train", p.info().trainData());
        data.put("instances", p.info().trainInstances());
        data.put("fingerprint", p.info().fingerprint());
        m.put("data", data);
        m.put("created", p.info().created());
        return m;
    }

    /** Rewrites the threshold in a saved detector's {@code detector.yaml} (atomically), leaving the model as is. */
    public void saveThreshold(Pipeline pipeline, Path dir) {
        Map<String, Object> out = new LinkedHashMap<>(DetectorFolder.readDescriptor(dir));
        out.put("threshold", threshold(pipeline));
        DetectorFolder.rewriteDescriptor(dir, out);
    }

    private static Map<String, Object> threshold(Pipeline p) {
        Map<String, Object> th = new LinkedHashMap<>();
        th.put("value", p.threshold());
        th.put("strategy", p.thresholdSpec().describe());
        th.put("inferredOn", p.info().thresholdData());
        return th;
    }

    /** Loads a saved detector, checking its format version, type and input shape. */
    public Pipeline load(Path dir, DetectorContext context) {
        Map<String, Object> d = DetectorFolder.readDescriptor(dir);
        Path file = dir.resolve(DetectorFolder.DESCRIPTOR);
        Map<String, Object> det = map(d, "detector", file);
        String type = String.valueOf(det.get("type"));
        DetectorProvider provider = providers.detectors().get(type);
        if (provider == null) {
            String hint = Providers.missingDetectorHint(type);
            throw new ModelFormatException(file + " detector.type: expected a known detector type "
                    + providers.plugins().names(Kind.DETECTOR) + ", found '" + type + "' ("
                    + (hint != null ? hint : "is its plugin installed?") + ")");
        }
        Params hp = Params.of(map(d, "hyperParameters", file), "hyperParameters", null);
        Shape expected = Shape.of(intList(d.get("inputShape"), file, "inputShape"));
        EmbedStage embed = d.containsKey("embed") ? loadEmbed(map(d, "embed", file), dir, file, context) : null;
        Detector detector = null;
        try {
            detector = Pipeline.withLoader(provider.getClass().getClassLoader(),
                    () -> provider.load(dir.resolve(DetectorFolder.MODEL_DIR), hp, context));
            hp.finish();
        } catch (RuntimeException e) {
            if (detector != null) {
                detector.close();
            }
            if (embed != null) {
                embed.close();
            }
            if (e instanceof ConfigException c) {
                throw new ModelFormatException(file + ": " + c.getMessage(), c);
            }
            throw e;
        }
        try {
            if (embed != null && !embed.outputShape().equals(detector.inputShape())) {
                throw new ModelFormatException(file + " embed: expected embeddings of the detector's input shape "
                        + detector.inputShape() + ", found " + embed.outputShape());
            }
            if (detector.inputShape() == null || !expected.equals(detector.inputShape())) {
                throw new ModelFormatException(file + " inputShape: expected the model's shape "
                        + detector.inputShape() + ", found " + expected);
            }
            ComponentSpec scorerSpec = ComponentSpec.fromMap(map(d, "scorer", file));
            ScorerProvider sp = providers.scorers().get(scorerSpec.type());
            if (sp == null) {
                throw new ModelFormatException(file + " scorer.type: expected one of " + providers.scorers().keySet()
                        + ", found '" + scorerSpec.type() + "'");
            }
            Params scorerParams = Params.of(scorerSpec.params(), "scorer", null);
            Scorer scorer = sp.create(scorerParams);
            scorerParams.finish();
            Map<String, Object> th = map(d, "threshold", file);
            Object v = th.get("value");
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new ModelFormatException(file + " threshold.value: expected a finite number, found " + v);
            }
            Map<String, Object> strategy = th.get("strategy") instanceof Map<?, ?> sm ? castMap(sm)
                    : Map.of("type", "fixed");
            Map<String, Object> data = d.get("data") instanceof Map<?, ?> dm ? castMap(dm) : Map.of();
            PipelineInfo info = new PipelineInfo(String.valueOf(data.get("train")),
                    data.get("instances") instanceof Number in ? in.longValue() : -1,
                    String.valueOf(data.get("fingerprint")), String.valueOf(d.get("created")),
                    th.get("inferredOn") == null ? null : String.valueOf(th.get("inferredOn")));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> pre = d.get("preprocess") instanceof List<?> l ? (List<Map<String, Object>>) l
                    : List.of();
            return new Pipeline(detector, String.valueOf(det.get("version")), Preprocessor.fromDescription(pre),
                    embed, scorer, scorerSpec, ComponentSpec.fromMap(strategy), n.doubleValue(), info);
        } catch (RuntimeException e) {
            detector.close();
            if (embed != null) {
                embed.close();
            }
            if (e instanceof ModelFormatException) {
                throw e;
            }
            throw new ModelFormatException(file + ": expected a consistent saved detector, found: " + e.getMessage(),
                    e);
        }
    }

    /** The {@code embed} block of a saved detector: its copy of the embedding model, paths relative to {@code dir}. */
    private EmbedStage loadEmbed(Map<String, Object> block, Path dir, Path file, DetectorContext context) {
        if (block.get("detector") instanceof String rel) {
            Path sub = inside(dir, rel, file, "embed.detector");
            if (!Files.isDirectory(sub)) {
                throw new ModelFormatException(file + " embed.detector: expected the embedding detector's copy "
                        + sub + ", found nothing");
            }
            Pipeline source = load(sub, context);
            EmbedStage stage = encoderStage(source, sub, rel);
            if (stage == null) {
                throw new ModelFormatException(file + " embed.detector: expected a detector that can encode, found '"
                        + source.detectorName() + "'");
            }
            return stage;
        }
        Map<String, Object> params = new LinkedHashMap<>(block);
        if (params.get("path") instanceof String rel) {
            inside(dir, rel, file, "embed.path");
        }
        Object type = params.remove("type");
        EmbedderProvider provider = providers.embedders().get(String.valueOf(type));
        if (provider == null) {
            throw new ModelFormatException(file + " embed.type: expected a known embedder type "
                    + providers.plugins().names(Kind.EMBEDDER) + " or 'detector', found " + type
                    + " (is its plugin installed?)");
        }
        Params p = Params.of(params, "embed", null);
        try {
            Embedder e = Pipeline.withLoader(provider.getClass().getClassLoader(),
                    () -> provider.create(p, dir, context));
            try {
                p.finish();
            } catch (ConfigException ce) {
                e.close();
                throw ce;
            }
            return new EmbedStage(e, provider.name(), block);
        } catch (ConfigException e) {
            throw new ModelFormatException(file + " " + e.getMessage(), e);
        }
    }

    /**
     * {@code rel} resolved against the saved detector folder {@code dir}, refused unless it lies inside it (not the
     * folder itself, not outside through {@code ..}, an absolute path or a symbolic link): a saved detector is
     * self-contained, and one that names itself would load forever.
     */
    static Path inside(Path dir, String rel, Path file, String key) {
        Path sub = dir.resolve(rel).normalize();
        boolean ok;
        try {
            Path root = dir.toRealPath();
            Path real = Files.exists(sub) ? sub.toRealPath() : root.resolve(rel).normalize();
            ok = real.startsWith(root) && !real.equals(root);
        } catch (java.io.IOException e) {
            ok = false;
        }
        if (!ok) {
            throw new ModelFormatException(file + " " + key + ": expected a path inside the saved detector " + dir
                    + ", found '" + rel + "'");
        }
        return sub;
    }

    /**
     * The encoder of the saved detector {@code source} (loaded from {@code dir}) as an embed stage recorded as
     * {@code embed: {detector: recorded}}; null, with {@code source} closed, when its detector cannot encode.
     */
    static EmbedStage encoderStage(Pipeline source, Path dir, String recorded) {
        try {
            return new EmbedStage(new EncoderEmbedder(source, dir), null, Map.of("detector", recorded));
        } catch (IllegalArgumentException e) {
            source.close();
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static Map<String, Object> map(Map<String, Object> d, String key, Path file) {
        Object v = d.get(key);
        if (!(v instanceof Map<?, ?> m)) {
            throw new ModelFormatException(file + " " + key + ": expected a mapping, found " + v);
        }
        return castMap(m);
    }

    private static int[] intList(Object v, Path file, String key) {
        if (!(v instanceof List<?> l)) {
            throw new ModelFormatException(file + " " + key + ": expected a list of integers, found " + v);
        }
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Integer n) || n < 0) {
                throw new ModelFormatException(file + " " + key + ": expected a list of integers >= 0, found " + v);
            }
            out[i] = n;
        }
        return out;
    }
}
