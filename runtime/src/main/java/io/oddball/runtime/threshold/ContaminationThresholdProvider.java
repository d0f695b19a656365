package io.oddball.runtime.threshold;

/**
 * Provides the {@code contamination} threshold ({@link ContaminationThreshold}).
 * Parameter {@code fraction}: a number in (0, 0.5], default 0.1.
 */
public final class ContaminationThresholdProvider extends OneNumberThresholdProvider {
    /** YAML {@code threshold.type}. */
    public static final String NAME = "contamination";
    /** Parameter: expected share of outliers. */
    public static final String FRACTION = "fraction";

    public ContaminationThresholdProvider() {
        super(NAME, "flags the expected share of outliers (PyOD's contamination)",
                FRACTION, "expected share of outliers",
                ContaminationThreshold.DEFAULT_FRACTION, ContaminationThreshold.RANGE, ContaminationThreshold::new);
    }
}
