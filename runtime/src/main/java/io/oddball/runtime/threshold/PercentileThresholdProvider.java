package io.oddball.runtime.threshold;

/**
 * Provides the {@code percentile} threshold ({@link PercentileThreshold}).
 * Parameter {@code percent}: a number in [0, 100], default 95.
 */
public final class PercentileThresholdProvider extends OneNumberThresholdProvider {
    /** YAML {@code threshold.type}. */
    public static final String NAME = "percentile";
    /** Parameter: the percentile of the scores. */
    public static final String PERCENT = "percent";

    public PercentileThresholdProvider() {
        super(NAME, "percentile of the scores on given data (Alibi's infer_threshold, numpy linear interpolation)",
                PERCENT, "the percentile of the scores",
                PercentileThreshold.DEFAULT_PERCENT, PercentileThreshold.RANGE, PercentileThreshold::new);
    }
}
