package io.oddball.runtime.eval;

import io.oddball.api.error.DataException;
import java.util.Arrays;

/**
 * Cumulative true- and false-positive counts at each distinct score, highest score first: scikit-learn's
 * {@code _binary_clf_curve}, on which ROC, precision-recall and best-F1 searches are built. Entry {@code i} counts the
 * instances with {@code score >= threshold(i)} (every score tied at a threshold enters together). Scores are sorted
 * once, in O(n log n), as packed primitive keys; {@code -0.0} and {@code 0.0} are one score, as in numpy.
 */
public final class ScoreCounts {
    private final float[] thresholds;
    private final int[] tps;
    private final int[] fps;
    private final int positives;
    private final int negatives;

    private ScoreCounts(float[] thresholds, int[] tps, int[] fps) {
        this.thresholds = thresholds;
        this.tps = tps;
        this.fps = fps;
        this.positives = tps[tps.length - 1];
        this.negatives = fps[fps.length - 1];
    }

    /**
     * Counts of these scores (higher = more outlying) against these labels (1 = outlier, 0 = normal).
     *
     * @throws DataException on empty or NaN scores, or labels that do not match
     */
    public static ScoreCounts of(float[] scores, int[] labels) {
        Inputs.requireScores("scores", scores);
        Inputs.requireLabels("labels", labels, scores.length);
        int n = scores.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) sortable(scores[i]) << 1) | labels[i];
        }
        Arrays.sort(keys);
        float[] thresholds = new float[n];
        int[] tps = new int[n];
        int[] fps = new int[n];
        int m = 0;
        int tp = 0;
        int fp = 0;
        for (int i = n - 1; i >= 0; i--) {
            tp += (int) (keys[i] & 1);
            fp += (int) (~keys[i] & 1);
            long score = keys[i] >> 1;
            if (i == 0 || keys[i - 1] >> 1 != score) {
                thresholds[m] = unsortable((int) score);
                tps[m] = tp;
                fps[m] = fp;
                m++;
            }
        }
        return new ScoreCounts(Arrays.copyOf(thresholds, m), Arrays.copyOf(tps, m), Arrays.copyOf(fps, m));
    }

    /** An int whose signed order is the order of the (non-NaN) floats; -0.0 is taken as 0.0. */
    private static int sortable(float score) {
        int bits = Float.floatToIntBits(score == 0f ? 0f : score);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private static float unsortable(int key) {
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
    }

    /** Number of distinct scores. */
    public int size() {
        return thresholds.length;
    }

    /** The {@code i}-th highest distinct score. */
    public float threshold(int i) {
        return thresholds[i];
    }

    /** Outliers with {@code score >= threshold(i)}. */
    public int tp(int i) {
        return tps[i];
    }

    /** Normals with {@code score >= threshold(i)}. */
    public int fp(int i) {
        return fps[i];
    }

    /** Outliers (label 1). */
    public int positives() {
        return positives;
    }

    /** Normals (label 0). */
    public int negatives() {
        return negatives;
    }

    /** Fails unless both classes are present, naming the metric that needs them. */
    void requireBothClasses(String metric) {
        if (positives == 0 || negatives == 0) {
            throw new DataException(metric + ": expected labels of both classes (0 = normal, 1 = outlier), found only "
                    + (positives == 0 ? "0 (normal)" : "1 (outlier)") + " in " + (positives + negatives) + " labels");
        }
    }

    /** Fails unless at least one outlier is present. */
    void requireOutliers(String metric) {
        if (positives == 0) {
            throw new DataException(metric + ": expected at least one outlier label (1), found none in " + negatives
                    + " labels");
        }
    }
}
