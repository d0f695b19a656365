package io.oddball.runtime.scoring;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.api.Scorer;
import io.oddball.api.ScorerProvider;

/** Provides the {@code sum} scorer ({@link SumScorer}); it has no parameters. */
public final class SumScorerProvider extends BuiltInProvider implements ScorerProvider {
    /** YAML {@code scorer.type}. */
    public static final String NAME = "sum";

    public SumScorerProvider() {
        super(NAME, "instance score = sum of the feature scores", ConfigSchema.of());
    }

    @Override
    public Scorer create(Params params) {
        return new SumScorer();
    }
}
