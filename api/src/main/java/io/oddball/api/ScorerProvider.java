package io.oddball.api;

/** A named factory of {@link Scorer}s (YAML {@code scorer.type}), found through {@link java.util.ServiceLoader}. */
public interface ScorerProvider {
    String name();

    String version();

    default String description() {
        return "";
    }

    /** Makes a scorer from its parameters (e.g. {@code outlierPerc}). */
    Scorer create(Params params);
}
