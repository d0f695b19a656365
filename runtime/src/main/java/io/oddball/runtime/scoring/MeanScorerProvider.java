package io.oddball.runtime.scoring;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.api.Scorer;
import io.oddball.api.ScorerProvider;

/** Provides the {@code mean} scorer ({@link MeanScorer}); it has no parameters. */
public final class MeanScorerProvider extends BuiltInProvider implements ScorerProvider {
    /** YAML {@code scorer.type}. */
    public static final String NAME = "mean";

    public MeanScorerProvider() {
        super(NAME, "instance score = mean of the feature scores", ConfigSchema.of());
    }

    @Override
    public Scorer create(Params params) {
        return new MeanScorer();
    }
}
