package io.oddball.detector.knn;

import io.oddball.api.ConfigSchema;
import io.oddball.api.ConfiguredDetectorProvider;
import io.oddball.api.DetectorContext;
import io.oddball.api.Params;
import java.nio.file.Path;

/** The {@code knn} detector type: cleanlab-compatible k-nearest-neighbour (and pred-probs) atypicality. */
public final class KnnDetectorProvider extends ConfiguredDetectorProvider<KnnConfig, KnnDetector> {
    /** The YAML {@code detector.type}. */
    public static final String NAME = "knn";
    /** Version of this detector implementation. */
    public static final String VERSION = "0.1.0";

    public KnnDetectorProvider() {
        super(NAME, VERSION, "k-nearest-neighbour atypicality (cleanlab OutOfDistribution), TensorFlow MatMul + TopK");
    }

    @Override
    public ConfigSchema configSchema() {
        return KnnConfig.schema();
    }

    @Override
    protected KnnConfig configure(Params params) {
        return KnnConfig.from(params);
    }

    @Override
    protected KnnDetector create(KnnConfig config, DetectorContext context) {
        return new KnnDetector(config, context);
    }

    @Override
    protected KnnDetector load(Path modelDir, KnnConfig config, DetectorContext context) {
        return new KnnDetector(KnnModelFiles.read(modelDir, config, context), context);
    }
}
