package io.oddball.runtime.eval;

/**
 * Counts of decisions against labels, outliers positive, and the rates that follow (scikit-learn's definitions with
 * {@code zero_division=0}: a rate whose denominator is 0 is 0).
 *
 * @param tp outliers predicted outlier
 * @param fp normals predicted outlier
 * @param tn normals predicted normal
 * @param fn outliers predicted normal
 */
public record ConfusionMatrix(long tp, long fp, long tn, long fn) {
    public ConfusionMatrix {
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
            throw new IllegalArgumentException("counts: expected none negative, found tp=" + tp + " fp=" + fp
                    + " tn=" + tn + " fn=" + fn);
        }
    }

    /**
     * The counts of {@code score > threshold} (predicted outlier, Alibi's {@code is_outlier}) against the labels.
     *
     * @throws io.oddball.api.error.DataException on empty or NaN scores, or labels that do not match
     */
    public static ConfusionMatrix at(float[] scores, int[] labels, double threshold) {
        Inputs.requireScores("confusion matrix", scores);
        Inputs.requireLabels("confusion matrix", labels, scores.length);
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold: expected a number, found NaN");
        }
        long tp = 0;
        long fp = 0;
        long positives = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean outlier = scores[i] > threshold;
            positives += labels[i];
            if (outlier) {
                tp += labels[i];
                fp += 1 - labels[i];
            }
        }
        long negatives = scores.length - positives;
        return new ConfusionMatrix(tp, fp, negatives - fp, positives - tp);
    }

    public long total() {
        return tp + fp + tn + fn;
    }

    /** (tp + tn) / total; 0 when empty. */
    public double accuracy() {
        return ratio(tp + tn, total());
    }

    /** tp / (tp + fp); 0 when nothing is predicted outlier. */
    public double precision() {
        return ratio(tp, tp + fp);
    }

    /** tp / (tp + fn) (= TPR); 0 when there are no outliers. */
    public double recall() {
        return ratio(tp, tp + fn);
    }

    /** fp / (fp + tn); 0 when there are no normals. */
    public double falsePositiveRate() {
        return ratio(fp, fp + tn);
    }

    /** 2 tp / (2 tp + fp + fn), the harmonic mean of precision and recall; 0 when tp = fp = fn = 0. */
    public double f1() {
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0 : (double) num / den;
    }
}
