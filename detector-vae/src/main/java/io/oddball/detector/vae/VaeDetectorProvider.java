package io.oddball.detector.vae;

import io.oddball.api.ConfigSchema;
import io.oddball.api.ConfiguredDetectorProvider;
import io.oddball.api.DetectorContext;
import io.oddball.api.Params;
import java.nio.file.Path;

/** The {@code vae} detector type: variational autoencoder reconstruction error (Alibi Detect's {@code OutlierVAE}). */
public final class VaeDetectorProvider extends ConfiguredDetectorProvider<VaeConfig, VaeDetector> {
    /** The YAML {@code detector.type}. */
    public static final String NAME = "vae";
    /** Version of this detector implementation. */
    public static final String VERSION = "0.1.0";

    public VaeDetectorProvider() {
        super(NAME, VERSION, "variational autoencoder, sampled reconstruction error (Alibi OutlierVAE): conv, mlp, alibi-cifar10");
    }

    @Override
    public ConfigSchema configSchema() {
        return VaeConfig.schema();
    }

    @Override
    protected VaeConfig configure(Params params) {
        return VaeConfig.from(params);
    }

    @Override
    protected VaeDetector create(VaeConfig config, DetectorContext context) {
        return new VaeDetector(config, context);
    }

    @Override
    protected VaeDetector load(Path modelDir, VaeConfig config, DetectorContext context) {
        return new VaeDetector(config, VaeModelFiles.read(modelDir, config, context), context);
    }
}
