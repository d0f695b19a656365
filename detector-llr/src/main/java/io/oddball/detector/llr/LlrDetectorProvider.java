package io.oddball.detector.llr;

import io.oddball.api.ConfigSchema;
import io.oddball.api.ConfiguredDetectorProvider;
import io.oddball.api.DetectorContext;
import io.oddball.api.Params;
import java.nio.file.Path;

/** The {@code llr} detector type: likelihood ratio of two PixelCNN++ models (Ren et al. 2019, Alibi Detect LLR). */
public final class LlrDetectorProvider extends ConfiguredDetectorProvider<LlrConfig, LlrDetector> {
    /** The YAML {@code detector.type}. */
    public static final String NAME = "llr";
    /** Version of this detector implementation. */
    public static final String VERSION = "0.1.0";

    public LlrDetectorProvider() {
        super(NAME, VERSION, "likelihood ratio of a semantic and a background PixelCNN++ (Alibi LLR) on 8-bit images");
    }

    @Override
    public ConfigSchema configSchema() {
        return LlrConfig.schema();
    }

    @Override
    protected LlrConfig configure(Params params) {
        return LlrConfig.from(params);
    }

    @Override
    protected LlrDetector create(LlrConfig config, DetectorContext context) {
        return new LlrDetector(config, context);
    }

    @Override
    protected LlrDetector load(Path modelDir, LlrConfig config, DetectorContext context) {
        // saved before scores could be chosen: the score its threshold was inferred on
        LlrConfig c = config.score() == null ? config.withScore(LlrScores.LLR) : config;
        return new LlrDetector(c, LlrModelFiles.read(modelDir, c, context), context);
    }
}
