package io.oddball.detector.knn;

import io.oddball.api.error.DataException;
import io.oddball.detector.knn.KnnConfig.PredProbsMethod;
import java.util.Arrays;

/** cleanlab's out-of-distribution scores from predicted probabilities ({@code _get_ood_predictions_scores}). */
final class PredProbs {
    /** Absent classes get this confident threshold (cleanlab's {@code BIG_VALUE}). */
    static final double ABSENT_CLASS_THRESHOLD = 2;
    /** cleanlab's {@code CONFIDENT_THRESHOLDS_LOWER_BOUND}. */
    static final double LOWER_BOUND = 2e-6;

    private PredProbs() {
    }

    /** Class j's threshold: the mean of {@code P[i, j]} over rows labelled j, at least 2e-6; 2 for absent classes. */
    static double[] confidentThresholds(float[] p, int n, int classes, int[] labels, String where) {
        double[] sum = new double[classes];
        long[] count = new long[classes];
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= classes) {
                throw new DataException(where + ": row " + i + ": expected a label in [0, " + classes + "), found "
                        + y);
            }
            sum[y] += p[i * classes + y];
            count[y]++;
        }
        double[] out = new double[classes];
        for (int j = 0; j < classes; j++) {
            out[j] = Math.max(count[j] == 0 ? ABSENT_CLASS_THRESHOLD : sum[j] / count[j], LOWER_BOUND);
        }
        return out;
    }

    /** Scores of {@code n} rows of {@code classes} probabilities; {@code thresholds} null = no adjustment. */
    static float[] scores(float[] p, int n, int classes, double[] thresholds, PredProbsMethod method, int m,
            double gamma, String where) {
        float[] out = new float[n];
        double[] a = new double[classes];
        double shift = thresholds == null ? 0 : Arrays.stream(thresholds).max().orElse(0);
        for (int i = 0; i < n; i++) {
            double rowSum = 0;
            for (int j = 0; j < classes; j++) {
                a[j] = p[i * classes + j];
                if (thresholds != null) {
                    a[j] = a[j] - thresholds[j] + shift;
                    rowSum += a[j];
                }
            }
            if (thresholds != null) {
                for (int j = 0; j < classes; j++) {
                    a[j] /= rowSum;
                }
            }
            out[i] = (float) switch (method) {
                case ENTROPY -> entropyScore(a, i, where);
                case LEAST_CONFIDENCE -> Arrays.stream(a).max().orElse(0);
                case GEN -> gen(a, m, gamma);
            };
        }
        return out;
    }

    private static double entropyScore(double[] a, int row, String where) {
        double h = 0;
        for (double v : a) {
            if (!(v >= 0 && v <= 1)) {
                throw new DataException(where + ": row " + row + ": expected probabilities in [0, 1], found " + v);
            }
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return 1.0 - h / Math.log(a.length);
    }

    private static double gen(double[] a, int m, double gamma) {
        double max = Arrays.stream(a).max().orElse(0);
        double[] e = new double[a.length];
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            e[j] = Math.exp(a[j] - max);
            sum += e[j];
        }
        for (int j = 0; j < a.length; j++) {
            e[j] /= sum;
        }
        Arrays.sort(e);
        double g = 0;
        for (int j = Math.max(0, e.length - m); j < e.length; j++) {
            g += Math.pow(e[j], gamma) * Math.pow(1 - e[j], gamma);
        }
        return 1 - g / m;
    }
}
