package io.oddball.runtime.threshold;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.api.ThresholdStrategy;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.runtime.scoring.BuiltInProvider;
import io.oddball.runtime.scoring.NumberRange;
import java.util.function.DoubleFunction;

/** A provider of a strategy made from one number parameter with a default and an allowed range. */
abstract class OneNumberThresholdProvider extends BuiltInProvider implements ThresholdStrategyProvider {
    private final String key;
    private final double defaultValue;
    private final NumberRange range;
    private final DoubleFunction<ThresholdStrategy> factory;

    OneNumberThresholdProvider(String name, String description, String key, String keyDescription,
            double defaultValue, NumberRange range, DoubleFunction<ThresholdStrategy> factory) {
        super(name, description, ConfigSchema.of(new ConfigSchema.Param(key, "double",
                NumberRange.format(defaultValue), keyDescription + ", " + range.expected())));
        this.key = key;
        this.defaultValue = defaultValue;
        this.range = range;
        this.factory = factory;
    }

    @Override
    public final ThresholdStrategy create(Params params) {
        return factory.apply(readDouble(params, key, defaultValue, range));
    }
}
