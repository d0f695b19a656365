package io.oddball.api;

/**
 * Chooses the threshold above which an instance score means "outlier": a fixed value, a percentile of scores on
 * given data (Alibi's {@code infer_threshold}), an expected contamination, a target false-positive rate, or the best
 * F1 on labelled data.
 */
public interface ThresholdStrategy {
    /** Type name, e.g. {@code percentile}. */
    String name();

    /** Whether {@link #threshold} needs scores of data (false for a fixed value). */
    default boolean needsScores() {
        return true;
    }

    /** Whether {@link #threshold} needs labels (1 = outlier) beside the scores. */
    default boolean needsLabels() {
        return false;
    }

    /**
     * The threshold for these scores.
     *
     * @param scores instance scores, higher = more outlying
     * @param labels 1 for an outlier, 0 for normal, per score; null when the data has none
     */
    double threshold(float[] scores, int[] labels);
}
