package io.oddball.runtime.threshold;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.api.ThresholdStrategy;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.runtime.scoring.BuiltInProvider;

/** Provides the {@code best-f1} threshold ({@link BestF1Threshold}); it has no parameters but needs labels. */
public final class BestF1ThresholdProvider extends BuiltInProvider implements ThresholdStrategyProvider {
    /** YAML {@code threshold.type}. */
    public static final String NAME = "best-f1";

    public BestF1ThresholdProvider() {
        super(NAME, "the best F1 on labelled data (1 = outlier)", ConfigSchema.of());
    }

    @Override
    public ThresholdStrategy create(Params params) {
        return new BestF1Threshold();
    }
}
