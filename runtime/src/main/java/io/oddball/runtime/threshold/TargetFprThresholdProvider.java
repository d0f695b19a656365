package io.oddball.runtime.threshold;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.api.ThresholdStrategy;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.runtime.scoring.BuiltInProvider;

/**
 * Provides the {@code target-fpr} threshold ({@link TargetFprThreshold}).
 * Parameter {@code fpr}: a number in (0, 1), default 0.05.
 */
public final class TargetFprThresholdProvider extends BuiltInProvider implements ThresholdStrategyProvider {
    /** YAML {@code threshold.type}. */
    public static final String NAME = "target-fpr";
    /** Parameter: share of normal data that may score above the threshold. */
    public static final String FPR = "fpr";

    public TargetFprThresholdProvider() {
        super(NAME, "the given share of normal data scores above it",
                ConfigSchema.of(new ConfigSchema.Param(FPR, "double", "0.05",
                        "share of normal data that may score above the threshold, "
                                + TargetFprThreshold.RANGE.expected())));
    }

    @Override
    public ThresholdStrategy create(Params params) {
        return new TargetFprThreshold(
                readDouble(params, FPR, TargetFprThreshold.DEFAULT_FPR, TargetFprThreshold.RANGE));
    }
}
