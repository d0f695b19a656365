package io.oddball.runtime.scoring;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.api.Scorer;
import io.oddball.api.ScorerProvider;

/** Provides the {@code max} scorer ({@link MaxScorer}); it has no parameters. */
public final class MaxScorerProvider extends BuiltInProvider implements ScorerProvider {
    /** YAML {@code scorer.type}. */
    public static final String NAME = "max";

    public MaxScorerProvider() {
        super(NAME, "instance score = max of the feature scores", ConfigSchema.of());
    }

    @Override
    public Scorer create(Params params) {
        return new MaxScorer();
    }
}
