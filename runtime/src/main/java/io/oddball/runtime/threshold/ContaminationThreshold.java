package io.oddball.runtime.threshold;

import io.oddball.api.ThresholdStrategy;
import io.oddball.runtime.scoring.NumberRange;

/**
 * The threshold that flags an expected fraction of the scored data as outliers, as PyOD's {@code contamination}:
 * {@code np.percentile(scores, 100 * (1 - fraction))} (numpy's linear interpolation). Labels are ignored.
 *
 * @param fraction expected share of outliers, in (0, 0.5]
 */
public record ContaminationThreshold(double fraction) implements ThresholdStrategy {
    /** PyOD's default contamination. */
    public static final double DEFAULT_FRACTION = 0.1;
    /** Allowed values of {@code fraction}. */
    public static final NumberRange RANGE = NumberRange.openClosed(0, 0.5);

    public ContaminationThreshold {
        RANGE.require("fraction", fraction);
    }

    @Override
    public String name() {
        return ContaminationThresholdProvider.NAME;
    }

    @Override
    public double threshold(float[] scores, int[] labels) {
        return PercentileThreshold.of(name(), scores, 100 * (1 - fraction));
    }
}
