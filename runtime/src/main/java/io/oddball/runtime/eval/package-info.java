/**
 * Evaluation of instance scores against labels (1 = outlier, 0 = normal), as {@code oddball evaluate} reports it:
 * AUROC, AUPR (average precision), FPR at 95 % TPR, the confusion matrix at a threshold and what follows from it, and
 * the ROC and precision-recall curves for plots. Definitions follow scikit-learn; every metric is O(n log n).
 * {@link io.oddball.runtime.eval.Metrics} and {@link io.oddball.runtime.eval.Evaluation} are the entry points.
 */
package io.oddball.runtime.eval;
