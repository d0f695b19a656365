package io.oddball.runtime.eval;

/**
 * Everything {@code oddball evaluate} reports for instance scores (higher = more outlying) against labels
 * (1 = outlier = positive, 0 = normal) and a threshold: the threshold-free metrics of {@link Metrics} and the
 * decisions {@code score > threshold} (Alibi's {@code is_outlier}) as a {@link ConfusionMatrix}.
 *
 * @param auroc scikit-learn's {@code roc_auc_score}, see {@link Metrics#auroc(ScoreCounts)}
 * @param aupr scikit-learn's {@code average_precision_score}, see {@link Metrics#averagePrecision(ScoreCounts)}
 * @param fpr95 false-positive rate at 95 % true-positive rate, see {@link Metrics#fprAtTpr}
 * @param threshold the threshold of the decisions
 * @param confusion the decisions {@code score > threshold} against the labels
 * @param roc ROC curve points ({@link Metrics#rocCurve(ScoreCounts)})
 * @param precisionRecall precision-recall curve points ({@link Metrics#precisionRecallCurve(ScoreCounts)})
 */
public record Evaluation(double auroc, double aupr, double fpr95, double threshold, ConfusionMatrix confusion,
        Curve roc, Curve precisionRecall) {

    /**
     * Evaluates these scores, sorting them once.
     *
     * @throws io.oddball.api.error.DataException on empty or NaN scores, labels that do not match, or labels of one
     *     class only
     */
    public static Evaluation of(float[] scores, int[] labels, double threshold) {
        ScoreCounts counts = ScoreCounts.of(scores, labels);
        counts.requireBothClasses("evaluate");
        return new Evaluation(Metrics.auroc(counts), Metrics.averagePrecision(counts),
                Metrics.fprAtTpr(counts, Metrics.TPR_95), threshold, ConfusionMatrix.at(scores, labels, threshold),
                Metrics.rocCurve(counts), Metrics.precisionRecallCurve(counts));
    }

    /** See {@link ConfusionMatrix#accuracy()}. */
    public double accuracy() {
        return confusion.accuracy();
    }

    /** See {@link ConfusionMatrix#precision()}; 0 when nothing is predicted outlier. */
    public double precision() {
        return confusion.precision();
    }

    /** See {@link ConfusionMatrix#recall()}. */
    public double recall() {
        return confusion.recall();
    }

    /** See {@link ConfusionMatrix#f1()}; 0 when undefined. */
    public double f1() {
        return confusion.f1();
    }
}
