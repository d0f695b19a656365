package io.oddball.runtime.scoring;

import io.oddball.api.Scorer;

/** The mean of the instance's feature scores (Alibi's {@code outlier_perc = 100}). Stateless and thread-safe. */
public final class MeanScorer implements Scorer {
    @Override
    public String name() {
        return MeanScorerProvider.NAME;
    }

    @Override
    public float instanceScore(float[] featureScores, int offset, int length) {
        Features.check(featureScores, offset, length, 1);
        return (float) (Features.sum(featureScores, offset, length) / length);
    }

    @Override
    public String toString() {
        return name();
    }
}
