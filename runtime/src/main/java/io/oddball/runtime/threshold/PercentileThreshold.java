package io.oddball.runtime.threshold;

import io.oddball.api.ThresholdStrategy;
import io.oddball.runtime.eval.Inputs;
import io.oddball.runtime.scoring.NumberRange;

/**
 * The {@code percent}-th percentile of the scores, numpy's linear interpolation ({@link Percentiles}): Alibi
 * Detect's {@code infer_threshold(X, threshold_perc)}, i.e. {@code np.percentile(scores, threshold_perc)}. Labels are
 * ignored.
 *
 * @param percent in [0, 100]
 */
public record PercentileThreshold(double percent) implements ThresholdStrategy {
    /** Default percentile. */
    public static final double DEFAULT_PERCENT = 95;
    /** Allowed values of {@code percent}. */
    public static final NumberRange RANGE = NumberRange.closed(0, 100);

    public PercentileThreshold {
        RANGE.require("percent", percent);
    }

    @Override
    public String name() {
        return PercentileThresholdProvider.NAME;
    }

    @Override
    public double threshold(float[] scores, int[] labels) {
        return of(name(), scores, percent);
    }

    /** The percentile of checked scores: a {@link io.oddball.api.error.DataException} naming {@code who} if empty. */
    static double of(String who, float[] scores, double percent) {
        Inputs.requireScores(who, scores);
        return Percentiles.percentile(scores, percent);
    }
}
