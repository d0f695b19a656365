package io.oddball.detector.vae;

import static java.util.Objects.requireNonNull;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.DetectorProvider;
import io.oddball.api.Params;
import io.oddball.tf.DetectorParams;
import java.nio.file.Path;
import java.util.Map;

/** The {@code vae} detector type: variational autoencoder reconstruction error (Alibi Detect's {@code OutlierVAE}). */
public final class VaeDetectorProvider implements DetectorProvider {
    /** The YAML {@code detector.type}. */
    public static final String NAME = "vae";
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
        return "variational autoencoder, sampled reconstruction error (Alibi OutlierVAE): conv, mlp, alibi-cifar10";
    }

    @Override
    public ConfigSchema configSchema() {
        return VaeConfig.schema();
    }

    @Override
    public VaeDetector create(Params params, DetectorContext context) {
        requireNonNull(params, "params is null");
        return new VaeDetector(VaeConfig.from(params), requireNonNull(context, "context is null"));
    }

    @Override
    public Detector load(Path modelDir, Map<String, Object> hyperParameters, DetectorContext context) {
        requireNonNull(context, "context is null");
        VaeConfig config = DetectorParams.fromSaved(modelDir, hyperParameters, VaeConfig::from);
        return new VaeDetector(config, VaeModelFiles.read(modelDir, config, context), context);
    }
}
