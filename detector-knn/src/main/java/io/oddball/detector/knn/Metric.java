package io.oddball.detector.knn;

import java.util.Locale;

/** The distance between instances, as scikit-learn computes it for cleanlab. */
public enum Metric {
    /** {@code clip(1 - <x/|x|, y/|y|>, 0, 2)} in float32. */
    COSINE,
    /** {@code sqrt(max(|x|² - 2<x, y> + |y|², 0))}, computed in float64 as scikit-learn does for float32 input. */
    EUCLIDEAN;

    /** Lower-case YAML name. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** cleanlab's default: cosine when there are more than 3 features, else euclidean. */
    public static Metric defaultFor(int dimension) {
        return dimension > 3 ? COSINE : EUCLIDEAN;
    }

    /** The tolerance below which cleanlab's {@code correct_precision_errors} sets a score to exactly 1. */
    double precisionTolerance() {
        double eps = Math.ulp(1.0);
        return this == COSINE ? 100 * eps / 2 : Math.sqrt(100 * eps);
    }
}
