package io.oddball.tf;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Params;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.ModelFormatException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/** Reading a neural detector's parameters, from its YAML block or from a saved detector: shared by the detectors. */
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

    /**
     * The configuration a saved detector's {@code hyperParameters} (from {@code detector.yaml}) describe, read by
     * {@code reader}; any problem with them is a format error of {@code modelDir}.
     *
     * @param <C> the configuration
     */
    public static <C> C fromSaved(Path modelDir, Map<String, Object> hyperParameters, Function<Params, C> reader) {
        requireNonNull(modelDir, "modelDir is null");
        requireNonNull(hyperParameters, "hyperParameters is null");
        Params p = Params.of(hyperParameters);
        C config = reader.apply(p);
        try {
            p.finish();
        } catch (ConfigException e) {
            throw new ModelFormatException(modelDir + ": hyper-parameters: " + e.getMessage(), e);
        }
        return config;
    }
}
