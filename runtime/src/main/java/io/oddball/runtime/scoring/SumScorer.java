package io.oddball.runtime.scoring;

import io.oddball.api.Scorer;

/**
 * The sum of the instance's feature scores, accumulated in double and rounded to float once. Stateless and
 * thread-safe.
 */
public final class SumScorer implements Scorer {
    @Override
    public String name() {
        return SumScorerProvider.NAME;
    }

    @Override
    public float instanceScore(float[] featureScores, int offset, int length) {
        Features.check(featureScores, offset, length, 1);
        return (float) Features.sum(featureScores, offset, length);
    }

    @Override
    public String toString() {
        return name();
    }
}
