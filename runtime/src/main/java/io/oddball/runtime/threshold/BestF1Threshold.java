package io.oddball.runtime.threshold;

import io.oddball.api.ThresholdStrategy;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.runtime.eval.ConfusionMatrix;
import io.oddball.runtime.eval.ScoreCounts;

/**
 * The threshold with the best F1 of {@code score > threshold} (predicted outlier) on labelled data (1 = outlier).
 * Candidates: every distinct score {@code s} (flagging the scores strictly above it; the highest score flags none),
 * plus {@code Math.nextDown(min score)}, which flags every instance (the all-outliers case). Over n scores this is
 * every distinct way a threshold can split them, found in one O(n log n) sweep. When several candidates share the
 * best F1, the highest threshold wins (fewest alarms). Needs at least one outlier label, else every F1 is 0.
 */
public record BestF1Threshold() implements ThresholdStrategy {

    @Override
    public String name() {
        return BestF1ThresholdProvider.NAME;
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    /**
     * @throws ConfigException when {@code labels} is null
     * @throws io.oddball.api.error.DataException on empty or NaN scores, labels that do not match, or no outlier
     */
    @Override
    public double threshold(float[] scores, int[] labels) {
        if (labels == null) {
            throw new ConfigException(name() + " needs labelled data: expected labels (1 = outlier), found none");
        }
        ScoreCounts counts = ScoreCounts.of(scores, labels);
        if (counts.positives() == 0) {
            throw new DataException(name() + ": expected at least one outlier label (1), found"
                    + " none in " + labels.length + " labels");
        }
        int m = counts.size();
        // Candidate j flags the scores >= threshold(j), i.e. > threshold(j + 1); j = -1 flags none.
        double bestF1 = -1;
        double best = 0;
        for (int j = -1; j < m; j++) {
            int tp = j < 0 ? 0 : counts.tp(j);
            int fp = j < 0 ? 0 : counts.fp(j);
            double f1 = new ConfusionMatrix(tp, fp, counts.negatives() - fp, counts.positives() - tp).f1();
            if (f1 > bestF1) {
                bestF1 = f1;
                best = j + 1 < m ? counts.threshold(j + 1) : Math.nextDown((double) counts.threshold(m - 1));
            }
        }
        return best;
    }
}
