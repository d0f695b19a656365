package io.oddball.detector.knn;

import java.util.Arrays;

/** cleanlab's transformation of average k-NN distances into atypicality scores in (0, 1] (lower = more atypical). */
final class Atypicality {
    /** cleanlab's {@code EPSILON}: the smallest scaling factor divided by. */
    static final double EPSILON = 1e-6;

    private Atypicality() {
    }

    /** {@code max(median(avg), 100 · eps(float64))}, fixed at fit. */
    static double scalingFactor(double[] avg) {
        return Math.max(median(avg), 100 * Math.ulp(1.0));
    }

    /** NumPy's median: the middle value, or the mean of the two middle values. */
    static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int mid = s.length / 2;
        return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }

    /** {@code exp(-t · avg / max(sf, EPSILON))}, exactly 1 where {@code avg} is below the metric's tolerance. */
    static float[] scores(double[] avg, double t, double scalingFactor, Metric metric) {
        double tol = metric.precisionTolerance();
        double scale = Math.max(scalingFactor, EPSILON);
        float[] out = new float[avg.length];
        for (int i = 0; i < avg.length; i++) {
            out[i] = avg[i] < tol ? 1f : (float) Math.exp(-t * avg[i] / scale);
        }
        return out;
    }

    /** {@code 1 − s}: Oddball's direction (higher = more outlying). */
    static float[] outlying(float[] cleanlabScores) {
        float[] out = new float[cleanlabScores.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (1.0 - cleanlabScores[i]);
        }
        return out;
    }
}
