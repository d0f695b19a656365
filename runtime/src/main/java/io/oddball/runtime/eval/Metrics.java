package io.oddball.runtime.eval;

import java.util.Arrays;

/**
 * Threshold-free metrics of instance scores (higher = more outlying) against labels (1 = outlier = positive,
 * 0 = normal), defined as scikit-learn defines them, each O(n log n) (one sort). Each method comes in two forms: from
 * scores and labels, or from {@link ScoreCounts} already built (to sort once for several metrics).
 *
 * @see Evaluation for all of them at once, with the decisions at a threshold
 */
public final class Metrics {
    /** The TPR at which {@link #fpr95} reads the FPR. */
    public static final double TPR_95 = 0.95;

    private Metrics() {
    }

    /**
     * Area under the ROC curve, equal to scikit-learn's {@code roc_auc_score}: the trapezoidal area over every
     * distinct score, which is the Mann-Whitney statistic P(score of an outlier > score of a normal) with ties counted
     * one half. All scores equal give 0.5.
     *
     * @throws io.oddball.api.error.DataException unless both classes are present, or on bad input
     */
    public static double auroc(float[] scores, int[] labels) {
        return auroc(ScoreCounts.of(scores, labels));
    }

    /** {@link #auroc(float[], int[])} of counts already built. */
    public static double auroc(ScoreCounts counts) {
        counts.requireBothClasses("auroc");
        // Twice the area, in exact integer arithmetic: sum of delta-fp * (tp + previous tp).
        long twiceArea = 0;
        long prevTp = 0;
        long prevFp = 0;
        for (int i = 0; i < counts.size(); i++) {
            twiceArea += (counts.fp(i) - prevFp) * (counts.tp(i) + prevTp);
            prevTp = counts.tp(i);
            prevFp = counts.fp(i);
        }
        return twiceArea / (2.0 * counts.positives() * (double) counts.negatives());
    }

    /**
     * Area under the precision-recall curve as scikit-learn's {@code average_precision_score} computes it, outliers
     * positive: {@code AP = sum_i (R_i - R_(i-1)) P_i} over the distinct scores from the highest down, where P_i and
     * R_i are the precision and recall of {@code score >= threshold_i} and R_(-1) = 0 (a step function, no
     * interpolation). Needs at least one outlier; with no normals it is 1.
     *
     * @throws io.oddball.api.error.DataException when no label is 1, or on bad input
     */
    public static double averagePrecision(float[] scores, int[] labels) {
        return averagePrecision(ScoreCounts.of(scores, labels));
    }

    /** {@link #averagePrecision(float[], int[])} of counts already built. */
    public static double averagePrecision(ScoreCounts counts) {
        counts.requireOutliers("aupr");
        double sum = 0;
        int prevTp = 0;
        for (int i = 0; i < counts.size(); i++) {
            int tp = counts.tp(i);
            if (tp != prevTp) {
                sum += (double) (tp - prevTp) / counts.positives() * ((double) tp / (tp + counts.fp(i)));
                prevTp = tp;
            }
        }
        return sum;
    }

    /** {@link #fprAtTpr} at 95 % TPR, the OOD papers' "FPR95". */
    public static double fpr95(float[] scores, int[] labels) {
        return fprAtTpr(ScoreCounts.of(scores, labels), TPR_95);
    }

    /**
     * The smallest false-positive rate among the ROC points whose true-positive rate is at least {@code tpr}. The ROC
     * points are the origin and one point per distinct score (predicting {@code score >= that score}, tied scores
     * entering together; no interpolation between points). Since both rates only grow as the threshold falls, this is
     * the FPR at the highest threshold reaching the TPR.
     *
     * @param tpr the true-positive rate to reach, in [0, 1]
     * @throws io.oddball.api.error.DataException unless both classes are present, or on bad input
     */
    public static double fprAtTpr(ScoreCounts counts, double tpr) {
        if (!(tpr >= 0 && tpr <= 1)) {
            throw new IllegalArgumentException("tpr: expected a number in [0, 1], found " + tpr);
        }
        counts.requireBothClasses("fpr at " + tpr + " tpr");
        if (tpr == 0) {
            return 0;
        }
        int i = 0;
        while ((double) counts.tp(i) / counts.positives() < tpr) {
            i++;
        }
        return (double) counts.fp(i) / counts.negatives();
    }

    /**
     * The ROC curve as scikit-learn's {@code roc_curve} returns it with {@code drop_intermediate=True}: x = FPR,
     * y = TPR, thresholds from the highest score down, starting at (0, 0) with threshold +Infinity, keeping only the
     * points where the curve bends (collinear intermediate points are dropped; the area is unchanged).
     *
     * @throws io.oddball.api.error.DataException unless both classes are present, or on bad input
     */
    public static Curve rocCurve(float[] scores, int[] labels) {
        return rocCurve(ScoreCounts.of(scores, labels));
    }

    /** {@link #rocCurve(float[], int[])} of counts already built. */
    public static Curve rocCurve(ScoreCounts counts) {
        counts.requireBothClasses("roc curve");
        int m = counts.size();
        double[] x = new double[m + 1];
        double[] y = new double[m + 1];
        double[] t = new double[m + 1];
        t[0] = Double.POSITIVE_INFINITY;
        int k = 1;
        for (int i = 0; i < m; i++) {
            if (i == 0 || i == m - 1 || bends(counts, i)) {
                x[k] = (double) counts.fp(i) / counts.negatives();
                y[k] = (double) counts.tp(i) / counts.positives();
                t[k] = counts.threshold(i);
                k++;
            }
        }
        return new Curve(Arrays.copyOf(x, k), Arrays.copyOf(y, k), Arrays.copyOf(t, k));
    }

    /** Whether point {@code i} is not on the line through its neighbours (sklearn: a non-zero second difference). */
    private static boolean bends(ScoreCounts c, int i) {
        return c.fp(i + 1) - 2 * c.fp(i) + c.fp(i - 1) != 0 || c.tp(i + 1) - 2 * c.tp(i) + c.tp(i - 1) != 0;
    }

    /**
     * The precision-recall curve as scikit-learn's {@code precision_recall_curve} returns it: x = recall,
     * y = precision, one point per distinct score from the lowest score up, then the point (recall 0, precision 1),
     * whose threshold (absent in sklearn) is +Infinity here.
     *
     * @throws io.oddball.api.error.DataException when no label is 1, or on bad input
     */
    public static Curve precisionRecallCurve(float[] scores, int[] labels) {
        return precisionRecallCurve(ScoreCounts.of(scores, labels));
    }

    /** {@link #precisionRecallCurve(float[], int[])} of counts already built. */
    public static Curve precisionRecallCurve(ScoreCounts counts) {
        counts.requireOutliers("precision-recall curve");
        int m = counts.size();
        double[] x = new double[m + 1];
        double[] y = new double[m + 1];
        double[] t = new double[m + 1];
        for (int k = 0; k < m; k++) {
            int i = m - 1 - k;
            x[k] = (double) counts.tp(i) / counts.positives();
            y[k] = (double) counts.tp(i) / (counts.tp(i) + counts.fp(i));
            t[k] = counts.threshold(i);
        }
        y[m] = 1;
        t[m] = Double.POSITIVE_INFINITY;
        return new Curve(x, y, t);
    }
}
