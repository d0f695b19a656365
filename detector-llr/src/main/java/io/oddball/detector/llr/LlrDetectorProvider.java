package io.oddball.detector.llr;

import static java.util.Objects.requireNonNull;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.DetectorProvider;
import io.oddball.api.Params;
import io.oddball.tf.DetectorParams;
import java.nio.file.Path;
import java.util.Map;

/** The {@code llr} detector type: likelihood ratio of two PixelCNN++ models (Ren et al. 2019, Alibi Detect LLR). */
public final class LlrDetectorProvider implements DetectorProvider {
    /** The YAML {@code detector.type}. */
    public static final String NAME = "llr";
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
        return "likelihood ratio of a semantic and a background PixelCNN++ (Alibi LLR) on 8-bit images";
    }

    @Override
    public ConfigSchema configSchema() {
        return LlrConfig.schema();
    }

    @Override
    public LlrDetector create(Params params, DetectorContext context) {
        requireNonNull(params, "params is null");
        return new LlrDetector(LlrConfig.from(params), requireNonNull(context, "context is null"));
    }

    @Override
    public Detector load(Path modelDir, Map<String, Object> hyperParameters, DetectorContext context) {
        requireNonNull(context, "context is null");
        LlrConfig config = DetectorParams.fromSaved(modelDir, hyperParameters, LlrConfig::from);
        return new LlrDetector(config, LlrModelFiles.read(modelDir, config, context), context);
    }
}
