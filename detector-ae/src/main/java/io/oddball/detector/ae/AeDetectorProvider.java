package io.oddball.detector.ae;

import static java.util.Objects.requireNonNull;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.DetectorProvider;
import io.oddball.api.Params;
import io.oddball.api.error.ConfigException;
import io.oddball.tf.DetectorParams;
import io.oddball.tf.TfOptions;
import java.nio.file.Path;
import java.util.Map;

/** The {@code ae} detector type: autoencoder reconstruction error (Alibi Detect's {@code OutlierAE}). */
public final class AeDetectorProvider implements DetectorProvider {
    /** The YAML {@code detector.type}. */
    public static final String NAME = "ae";
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
        return "autoencoder reconstruction error (Alibi OutlierAE): conv, mlp, alibi-cifar10, screen-cifar, or "
                + "the user's own SavedModels (saved-model)";
    }

    @Override
    public ConfigSchema configSchema() {
        return AeConfig.schema();
    }

    @Override
    public Detector create(Params params, DetectorContext context) {
        requireNonNull(params, "params is null");
        requireNonNull(context, "context is null");
        if (SavedModelAe.requested(params)) {
            SavedModelAe d = SavedModelAe.create(params, Path.of("").toAbsolutePath(), TfOptions.of(context));
            if (d == null) {
                throw new ConfigException(params.problems());
            }
            return d;
        }
        return new AeDetector(AeConfig.from(params), context);
    }

    @Override
    public Detector load(Path modelDir, Map<String, Object> hyperParameters, DetectorContext context) {
        requireNonNull(context, "context is null");
        requireNonNull(modelDir, "modelDir is null");
        if (SavedModelAe.ARCHITECTURE.equals(hyperParameters.get("architecture"))) {
            return SavedModelAe.load(modelDir, hyperParameters, TfOptions.of(context));
        }
        AeConfig config = DetectorParams.fromSaved(modelDir, hyperParameters, AeConfig::from);
        return new AeDetector(config, AeModelFiles.read(modelDir, config, context), context);
    }
}
