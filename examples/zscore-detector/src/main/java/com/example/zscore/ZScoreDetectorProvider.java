package com.example.zscore;

import io.oddball.api.ConfigSchema;
import io.oddball.api.ConfiguredDetectorProvider;
import io.oddball.api.DetectorContext;
import io.oddball.api.Params;
import java.nio.file.Path;

/**
 * The {@code zscore} detector type, registered in {@code META-INF/services/io.oddball.api.DetectorProvider}. The
 * runtime finds it there (on the class path or in a plugin folder), makes detectors from a pipeline's
 * {@code detector} block with {@link #create}, and loads saved ones with {@link #load}; the same {@link #configure}
 * reads both.
 */
public final class ZScoreDetectorProvider extends ConfiguredDetectorProvider<ZScoreConfig, ZScoreDetector> {
    /** The YAML {@code detector.type}. */
    public static final String NAME = "zscore";
    /** Version of this detector implementation, written into saved detectors. */
    public static final String VERSION = "0.1.0";

    public ZScoreDetectorProvider() {
        super(NAME, VERSION, "squared z-score of each feature against the training data (diagonal Mahalanobis), "
                + "TensorFlow ops");
    }

    @Override
    public ConfigSchema configSchema() {
        return ZScoreConfig.SCHEMA;
    }

    @Override
    protected ZScoreConfig configure(Params params) {
        return ZScoreConfig.from(params);
    }

    @Override
    protected ZScoreDetector create(ZScoreConfig config, DetectorContext context) {
        return new ZScoreDetector(config, context);
    }

    @Override
    protected ZScoreDetector load(Path modelDir, ZScoreConfig config, DetectorContext context) {
        return ZScoreModelFiles.read(modelDir, config, context);
    }
}
