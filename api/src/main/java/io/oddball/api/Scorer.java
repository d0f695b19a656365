package io.oddball.api;

/**
 * Turns one instance's feature scores into its instance score (Alibi's {@code outlier_perc} rule, max, sum, mean).
 * Stateless and thread-safe.
 */
public interface Scorer {
    /** Type name, e.g. {@code top-percent}. */
    String name();

    /** Instance score of the {@code length} feature scores of {@code featureScores} starting at {@code offset}. */
    float instanceScore(float[] featureScores, int offset, int length);

    /** Instance scores of {@code n} instances stored one after another, {@code featuresPerInstance} each. */
    default float[] instanceScores(float[] featureScores, int n, int featuresPerInstance) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = instanceScore(featureScores, i * featuresPerInstance, featuresPerInstance);
        }
        return out;
    }
}
