package io.oddball.detector.knn;

import static java.util.Objects.requireNonNull;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.DetectorProvider;
import io.oddball.api.Params;
import io.oddball.tf.DetectorParams;
import java.nio.file.Path;
import java.util.Map;

/** The {@code knn} detector type: cleanlab-compatible k-nearest-neighbour (and pred-probs) atypicality. */
public final class KnnDetectorProvider implements DetectorProvider {
    /** The YAML {@code detector.type}. */
    public static final String NAME = "knn";
    /** Version of this detector implementation. */
    public static final String VERSION = "0.1.0";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String description() {
        return "k-nearest-neighbour atypicality (cleanlab OutOfDistribution), TensorFlow MatMul + TopK";
    }

    @Override
    public ConfigSchema configSchema() {
        return KnnConfig.schema();
    }

    @Override
    public KnnDetector create(Params params, DetectorContext context) {
        requireNonNull(params, "params is null");
        return new KnnDetector(KnnConfig.from(params), requireNonNull(context, "context is null"));
    }

    @Override
    public Detector load(Path modelDir, Map<String, Object> hyperParameters, DetectorContext context) {
        requireNonNull(modelDir, "modelDir is null");
        requireNonNull(hyperParameters, "hyperParameters is null");
        requireNonNull(context, "context is null");
        KnnConfig config = DetectorParams.fromSaved(modelDir, hyperParameters, KnnConfig::from);
        return new KnnDetector(KnnModelFiles.read(modelDir, config, context), context);
    }
}
