package io.oddball.runtime.scoring;

import io.oddball.api.Scorer;

/** The largest of the instance's feature scores, NaN if any is NaN (numpy's {@code max}). Stateless and thread-safe. */
public final class MaxScorer implements Scorer {
    @Override
    public String name() {
        return MaxScorerProvider.NAME;
    }

    @Override
    public float instanceScore(float[] featureScores, int offset, int length) {
        Features.check(featureScores, offset, length, 1);
        return Features.max(featureScores, offset, length);
    }

    @Override
    public String toString() {
        return name();
    }
}
