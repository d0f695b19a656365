package io.oddball.runtime.threshold;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.api.ThresholdStrategy;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.runtime.scoring.BuiltInProvider;

/**
 * Provides the {@code percentile} threshold ({@link PercentileThreshold}).
 * Parameter {@code percent}: a number in [0, 100], default 95.
 */
public final class PercentileThresholdProvider extends BuiltInProvider implements ThresholdStrategyProvider {
    /** YAML {@code threshold.type}. */
    public static final String NAME = "percentile";
    /** Parameter: the percentile of the scores. */
    public static final String PERCENT = "percent";

    public PercentileThresholdProvider() {
        super(NAME, "percentile of the scores on given data (Alibi's infer_threshold, numpy linear interpolation)",
                ConfigSchema.of(new ConfigSchema.Param(PERCENT, "double", "95",
                        "the percentile of the scores, " + PercentileThreshold.RANGE.expected())));
    }

    @Override
    public ThresholdStrategy create(Params params) {
        return new PercentileThreshold(
                readDouble(params, PERCENT, PercentileThreshold.DEFAULT_PERCENT, PercentileThreshold.RANGE));
    }
}
