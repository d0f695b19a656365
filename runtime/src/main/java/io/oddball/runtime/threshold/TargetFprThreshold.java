package io.oddball.runtime.threshold;

import io.oddball.api.ThresholdStrategy;
import io.oddball.api.error.DataException;
import io.oddball.runtime.eval.Inputs;
import io.oddball.runtime.scoring.NumberRange;

/**
 * The threshold above which a target fraction of <em>normal</em> data scores: the {@code 100 * (1 - fpr)}-th
 * percentile of the normal scores (numpy's linear interpolation), as cleanlab's tutorial takes the 5th percentile of
 * its atypicality scores (lower = more atypical) on in-distribution data. Without labels every score is taken as
 * normal; with labels, only the scores labelled 0.
 *
 * @param fpr target false-positive rate, in (0, 1)
 */
public record TargetFprThreshold(double fpr) implements ThresholdStrategy {
    /** Default target false-positive rate. */
    public static final double DEFAULT_FPR = 0.05;
    /** Allowed values of {@code fpr}. */
    public static final NumberRange RANGE = NumberRange.open(0, 1);

    public TargetFprThreshold {
        RANGE.require("fpr", fpr);
    }

    @Override
    public String name() {
        return TargetFprThresholdProvider.NAME;
    }

    @Override
    public double threshold(float[] scores, int[] labels) {
        float[] normal = scores;
        if (labels != null) {
            Inputs.requireScores(name(), scores);
            Inputs.requireLabels(name(), labels, scores.length);
            normal = normalScores(scores, labels);
        }
        return PercentileThreshold.of(name(), normal, 100 * (1 - fpr));
    }

    private float[] normalScores(float[] scores, int[] labels) {
        int count = 0;
        for (int label : labels) {
            count += 1 - label;
        }
        if (count == 0) {
            throw new DataException(name() + ": expected scores of normal data (label 0), found only outliers in "
                    + labels.length + " labels");
        }
        float[] normal = new float[count];
        int j = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] == 0) {
                normal[j++] = scores[i];
            }
        }
        return normal;
    }
}
