package io.oddball.api.result;

import java.util.Objects;

/**
 * Result of {@code predict}, as Alibi Detect's dictionary: meta (detector name and version, threshold, outlier type)
 * and data ({@code isOutlier} per instance, or per feature for {@link OutlierType#FEATURE}, and the scores asked for).
 * {@code isOutlier = score > threshold}. Immutable; accessors return copies.
 */
public final class Prediction {
    private final String detectorName;
    private final String detectorVersion;
    private final double threshold;
    private final OutlierType outlierType;
    private final boolean[] isOutlier;
    private final float[] instanceScores;
    private final float[] featureScores;

    public Prediction(String detectorName, String detectorVersion, double threshold, OutlierType outlierType,
            boolean[] isOutlier, float[] instanceScores, float[] featureScores) {
        this.detectorName = Objects.requireNonNull(detectorName, "detectorName is null");
        this.detectorVersion = Objects.requireNonNull(detectorVersion, "detectorVersion is null");
        this.threshold = threshold;
        this.outlierType = Objects.requireNonNull(outlierType, "outlierType is null");
        this.isOutlier = Objects.requireNonNull(isOutlier, "isOutlier is null").clone();
        this.instanceScores = instanceScores == null ? null : instanceScores.clone();
        this.featureScores = featureScores == null ? null : featureScores.clone();
    }

    public String detectorName() {
        return detectorName;
    }

    public String detectorVersion() {
        return detectorVersion;
    }

    public double threshold() {
        return threshold;
    }

    public OutlierType outlierType() {
        return outlierType;
    }

    /** Per instance ({@link OutlierType#INSTANCE}) or per feature ({@link OutlierType#FEATURE}). */
    public boolean[] isOutlier() {
        return isOutlier.clone();
    }

    /** Instance scores, or null when not asked for. */
    public float[] instanceScores() {
        return instanceScores == null ? null : instanceScores.clone();
    }

    /** Feature scores, or null when not asked for or not available. */
    public float[] featureScores() {
        return featureScores == null ? null : featureScores.clone();
    }

    /** Number of {@code true} entries of {@link #isOutlier()}. */
    public int outlierCount() {
        int c = 0;
        for (boolean b : isOutlier) {
            if (b) {
                c++;
            }
        }
        return c;
    }
}
