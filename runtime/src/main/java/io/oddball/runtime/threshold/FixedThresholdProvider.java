package io.oddball.runtime.threshold;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.api.ThresholdStrategy;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.runtime.scoring.BuiltInProvider;

/**
 * Provides the {@code fixed} threshold ({@link FixedThreshold}).
 * Parameter {@code value}: a finite number, required.
 */
public final class FixedThresholdProvider extends BuiltInProvider implements ThresholdStrategyProvider {
    /** YAML {@code threshold.type}. */
    public static final String NAME = "fixed";
    /** Parameter: the threshold. */
    public static final String VALUE = "value";

    public FixedThresholdProvider() {
        super(NAME, "a threshold given as a number", ConfigSchema.of(
                new ConfigSchema.Param(VALUE, "double", "", "the threshold (required)")));
    }

    @Override
    public ThresholdStrategy create(Params params) {
        if (!params.has(VALUE)) {
            params.problem(VALUE, "a number (this key is required)", null);
            return new FixedThreshold(0);
        }
        double value = params.getDouble(VALUE, 0);
        if (!Double.isFinite(value)) {
            params.problem(VALUE, "a finite number", params.asMap().get(VALUE));
            value = 0;
        }
        return new FixedThreshold(value);
    }
}
