package io.oddball.runtime.scoring;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.api.Scorer;
import io.oddball.api.ScorerProvider;

/**
 * Provides the {@code top-percent} scorer ({@link TopPercentScorer}, Alibi Detect's {@code outlier_perc} rule).
 * Parameter {@code outlierPerc}: in (0, 100], default 100.
 */
public final class TopPercentScorerProvider extends BuiltInProvider implements ScorerProvider {
    /** YAML {@code scorer.type}. */
    public static final String NAME = "top-percent";
    /** Parameter: percentage of the highest feature scores averaged. */
    public static final String OUTLIER_PERC = "outlierPerc";

    public TopPercentScorerProvider() {
        super(NAME, "instance score = mean of the top outlierPerc % of the feature scores (Alibi Detect)",
                ConfigSchema.of(new ConfigSchema.Param(OUTLIER_PERC, "double", "100",
                        "percentage of the highest feature scores averaged, in (0, 100]")));
    }

    @Override
    public Scorer create(Params params) {
        double perc = readDouble(params, OUTLIER_PERC, TopPercentScorer.DEFAULT_OUTLIER_PERC,
                TopPercentScorer.OUTLIER_PERC_RANGE);
        return new TopPercentScorer(perc);
    }
}
