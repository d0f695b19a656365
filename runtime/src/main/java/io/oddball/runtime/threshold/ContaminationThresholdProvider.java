package io.oddball.runtime.threshold;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.api.ThresholdStrategy;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.runtime.scoring.BuiltInProvider;

/**
 * Provides the {@code contamination} threshold ({@link ContaminationThreshold}).
 * Parameter {@code fraction}: a number in (0, 0.5], default 0.1.
 */
public final class ContaminationThresholdProvider extends BuiltInProvider implements ThresholdStrategyProvider {
    /** YAML {@code threshold.type}. */
    public static final String NAME = "contamination";
    /** Parameter: expected share of outliers. */
    public static final String FRACTION = "fraction";

    public ContaminationThresholdProvider() {
        super(NAME, "flags the expected share of outliers (PyOD's contamination)",
                ConfigSchema.of(new ConfigSchema.Param(FRACTION, "double", "0.1",
                        "expected share of outliers, " + ContaminationThreshold.RANGE.expected())));
    }

    @Override
    public ThresholdStrategy create(Params params) {
        return new ContaminationThreshold(
                readDouble(params, FRACTION, ContaminationThreshold.DEFAULT_FRACTION, ContaminationThreshold.RANGE));
    }
}
