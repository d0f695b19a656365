package io.oddball.tf;

import io.oddball.api.Params;

/** Reading a neural detector's parameters: checks shared by the detectors' configuration readers. */
public final class DetectorParams {
    private DetectorParams() {
    }

    /** An integer parameter {@code >= 1}; a smaller value is recorded as a problem and the default returned. */
    public static int positive(Params p, String key, int defaultValue) {
        int v = p.getInt(key, defaultValue);
        if (v < 1) {
            p.problem(key, "an integer >= 1", v);
            return defaultValue;
        }
        return v;
    }
}
