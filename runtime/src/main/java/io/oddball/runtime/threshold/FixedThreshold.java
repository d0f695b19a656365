package io.oddball.runtime.threshold;

import io.oddball.api.ThresholdStrategy;

/**
 * A threshold given as a number ({@code threshold: {type: fixed, value: 0.045}}); it needs no data.
 *
 * @param value the threshold, finite
 */
public record FixedThreshold(double value) implements ThresholdStrategy {
    public FixedThreshold {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value: expected a finite number, found " + value);
        }
    }

    @Override
    public String name() {
        return FixedThresholdProvider.NAME;
    }

    @Override
    public boolean needsScores() {
        return false;
    }

    /** The fixed value; scores and labels are ignored (and may be null). */
    @Override
    public double threshold(float[] scores, int[] labels) {
        return value;
    }
}
