package io.oddball.detector.ae;

import io.oddball.api.ConfigSchema;
import io.oddball.api.ConfiguredDetectorProvider;
import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.Params;
import io.oddball.api.error.ConfigException;
import io.oddball.tf.TfOptions;
import java.nio.file.Path;
import java.util.Map;

/** The {@code ae} detector type: autoencoder reconstruction error (Alibi Detect's {@code OutlierAE}). */
public final class AeDetectorProvider extends ConfiguredDetectorProvider<AeConfig, Detector> {
    /** The YAML {@code detector.type}. */
    public static final String NAME = "ae";
    /** Version of this detector implementation. */
    public static final String VERSION = "0.1.0";

    public AeDetectorProvider() {
        super(NAME, VERSION, "autoencoder reconstruction error (Alibi OutlierAE): conv, mlp, alibi-cifar10, "
                + "screen-cifar, or the user's own SavedModels (saved-model)");
    }

    @Override
    public ConfigSchema configSchema() {
        return AeConfig.schema();
    }

    @Override
    protected AeConfig configure(Params params) {
        return AeConfig.from(params);
    }

    @Override
    protected Detector create(AeConfig config, DetectorContext context) {
        return new AeDetector(config, context);
    }

    @Override
    protected Detector load(Path modelDir, AeConfig config, DetectorContext context) {
        return new AeDetector(config, AeModelFiles.read(modelDir, config, context), context);
    }

    /** As the base, but the user's own SavedModels (architecture {@code saved-model}) have a reader of their own. */
    @Override
    public Detector create(Params params, DetectorContext context) {
        if (SavedModelAe.requested(params)) {
            SavedModelAe d = SavedModelAe.create(params, Path.of("").toAbsolutePath(), TfOptions.of(context));
            if (d == null) {
                throw new ConfigException(params.problems());
            }
            return d;
        }
        return super.create(params, context);
    }

    /** As the base, but the user's own SavedModels (architecture {@code saved-model}) have a reader of their own. */
    @Override
    public Detector load(Path modelDir, Params hyperParameters, DetectorContext context) {
        if (SavedModelAe.requested(hyperParameters)) {
            Map<String, Object> raw = hyperParameters.asMap();
            hyperParameters.keys().forEach(hyperParameters::getRaw); // SavedModelAe.load checks every key itself
            return SavedModelAe.load(modelDir, raw, TfOptions.of(context));
        }
        return super.load(modelDir, hyperParameters, context);
    }
}
