package io.oddball.runtime.threshold;

/**
 * Provides the {@code target-fpr} threshold ({@link TargetFprThreshold}).
 * Parameter {@code fpr}: a number in (0, 1), default 0.05.
 */
public final class TargetFprThresholdProvider extends OneNumberThresholdProvider {
    /** YAML {@code threshold.type}. */
    public static final String NAME = "target-fpr";
    /** Parameter: share of normal data that may score above the threshold. */
    public static final String FPR = "fpr";

    public TargetFprThresholdProvider() {
        super(NAME, "the given share of normal data scores above it",
                FPR, "share of normal data that may score above the threshold",
                TargetFprThreshold.DEFAULT_FPR, TargetFprThreshold.RANGE, TargetFprThreshold::new);
    }
}
