package com.example.zscore;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The zscore detector's parameters: the YAML {@code detector} block of a pipeline, and the hyper-parameters saved in
 * {@code detector.yaml}, both read by {@link #from}.
 *
 * @param epsilon added to every feature's variance before dividing by it, so that a feature constant in the training
 *     data does not divide by zero ({@code epsilon})
 */
public record ZScoreConfig(double epsilon) {
    /** The defaults. */
    public static final ZScoreConfig DEFAULTS = new ZScoreConfig(1e-6);

    /** What {@code oddball plugins} and the docs show: every key {@link #from} reads, with its default. */
    public static final ConfigSchema SCHEMA = ConfigSchema.of(
            new ConfigSchema.Param("epsilon", "double", "1e-6",
                    "added to each feature's variance, so constant features do not divide by zero"));

    /** Checks the values; {@link #from} reports bad YAML values as problems instead of throwing. */
    public ZScoreConfig {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a number > 0, found " + epsilon);
        }
    }

    /**
     * Reads the parameters, recording bad values as problems of {@code p} (the runtime reports them with the YAML
     * line, all at once, and every key left unread as unknown).
     */
    public static ZScoreConfig from(Params p) {
        double epsilon = p.getDouble("epsilon", DEFAULTS.epsilon());
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            p.problem("epsilon", "a number > 0", epsilon);
            epsilon = DEFAULTS.epsilon();
        }
        return new ZScoreConfig(epsilon);
    }

    /** The parameters as plain values, readable by {@link #from}: the saved hyper-parameters. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epsilon", epsilon);
        return out;
    }
}
