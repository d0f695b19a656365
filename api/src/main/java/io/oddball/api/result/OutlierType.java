package io.oddball.api.result;

/** Whether {@code predict} flags whole instances or individual features (pixels), as Alibi's {@code outlier_type}. */
public enum OutlierType {
    INSTANCE,
    FEATURE
}
