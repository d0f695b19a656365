package io.oddball.runtime.scoring;

import java.util.Objects;

/** Checks and reductions over a run of feature scores shared by the built-in scorers; sums accumulate in double. */
final class Features {
    private Features() {
    }

    /** Checks that {@code n} instances of {@code length} (at least one) feature scores from {@code offset} fit. */
    static void check(float[] featureScores, int offset, int length, int n) {
        Objects.requireNonNull(featureScores, "featureScores is null");
        if (length < 1) {
            throw new IllegalArgumentException("feature scores per instance: expected at least 1, found " + length);
        }
        if (n < 0) {
            throw new IllegalArgumentException("instances: expected at least 0, found " + n);
        }
        long end = offset + (long) n * length;
        if (offset < 0 || end > featureScores.length) {
            throw new IndexOutOfBoundsException("feature scores: expected at least " + end + " values from offset "
                    + offset + ", found " + featureScores.length);
        }
    }

    static double sum(float[] values, int offset, int length) {
        double sum = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            sum += values[i];
        }
        return sum;
    }

    /** The largest value; NaN if any is NaN (as numpy's {@code max}). */
    static float max(float[] values, int offset, int length) {
        float max = values[offset];
        for (int i = offset + 1, end = offset + length; i < end; i++) {
            max = Math.max(max, values[i]);
        }
        return max;
    }
}
