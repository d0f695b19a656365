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

    /**
     * A detector saved before {@code blockSize} had its upper limit ({@link KnnConfig#MAX_BLOCK_SIZE}) loads with
     * the limit instead of being refused: the block size only splits the computation, the scores are the same.
     */
    @Override
    public KnnDetector load(Path modelDir, Params hyperParameters, DetectorContext context) {
        Object b = hyperParameters == null ? null : hyperParameters.getRaw("blockSize");
        if (b instanceof Number n && n.doubleValue() > KnnConfig.MAX_BLOCK_SIZE) {
            java.util.Map<String, Object> values = new java.util.LinkedHashMap<>(hyperParameters.asMap());
            values.put("blockSize", KnnConfig.MAX_BLOCK_SIZE);
            Params capped = Params.of(values, hyperParameters.path(), null);
            KnnDetector d = super.load(modelDir, capped, context);
            for (ConfigSchema.Param known : KnnConfig.schema().params()) { // read through the copy; unknown keys
                if (hyperParameters.has(known.name())) {                  // stay unread for the caller to report
                    hyperParameters.getRaw(known.name());
                }
            }
            return d;
        }
        return super.load(modelDir, hyperParameters, context);
    }

    @Override
    protected KnnDetector load(Path modelDir, KnnConfig config, DetectorContext context) {
        return new KnnDetector(KnnModelFiles.read(modelDir, config, context), context);
    }
}
