package io.oddball.runtime.eval;

import io.oddball.api.error.DataException;

/**
 * Checks of the scores and labels that metrics and threshold strategies take, failing with a {@link DataException}
 * of the shape {@code <where>: expected X, found Y}.
 */
public final class Inputs {
    private Inputs() {
    }

    /** Scores must be present, non-empty and free of NaN. */
    public static void requireScores(String where, float[] scores) {
        if (scores == null || scores.length == 0) {
            throw new DataException(where + ": expected at least one score, found none");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new DataException(where + ": expected a number for every score, found NaN at index " + i);
            }
        }
    }

    /** Labels must be present, one per score, each 0 (normal) or 1 (outlier). */
    public static void requireLabels(String where, int[] labels, int scoreCount) {
        if (labels == null) {
            throw new DataException(where + ": expected labels (1 = outlier, 0 = normal), found none");
        }
        if (labels.length != scoreCount) {
            throw new DataException(where + ": expected one label per score (" + scoreCount + "), found "
                    + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new DataException(where + ": expected label 0 (normal) or 1 (outlier), found " + labels[i]
                        + " at index " + i);
            }
        }
    }
}
