package io.oddball.runtime.plugin;

import static java.util.Objects.requireNonNull;

import io.oddball.api.DetectorProvider;
import io.oddball.api.EmbedderProvider;
import io.oddball.api.ScorerProvider;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.api.data.DataReaderProvider;
import java.util.Map;

/**
 * The discovered providers by type name, one map per kind as Guice binds them, with the {@link Plugins} listing they
 * come from (for the names to list and the outcome of a lookup, see {@link Plugins#lookup}). What the pipeline engine
 * chooses components from. Immutable.
 */
public record Providers(Map<String, DetectorProvider> detectors, Map<String, ScorerProvider> scorers,
        Map<String, ThresholdStrategyProvider> thresholds, Map<String, DataReaderProvider> readers,
        Map<String, EmbedderProvider> embedders, Plugins plugins) {
    /** The Maven artifact of each detector type that ships with Oddball, named when its plugin is missing. */
    private static final Map<String, String> SHIPPED_DETECTORS = Map.of("knn", "oddball-detector-knn",
            "ae", "oddball-detector-ae", "vae", "oddball-detector-vae", "llr", "oddball-detector-llr");

    public Providers {
        detectors = Map.copyOf(detectors);
        scorers = Map.copyOf(scorers);
        thresholds = Map.copyOf(thresholds);
        readers = Map.copyOf(readers);
        embedders = Map.copyOf(embedders);
        requireNonNull(plugins, "plugins is null");
    }

    /**
     * What to add when {@code type}, one of Oddball's own detector types, has no plugin on the class path (a Java
     * user who depends on {@code oddball-runtime} alone); null for other names.
     */
    public static String missingDetectorHint(String type) {
        String artifact = SHIPPED_DETECTORS.get(type);
        return artifact == null ? null : "its plugin is not on the class path: add the dependency io.oddball:"
                + artifact + ", or io.oddball:oddball-all";
    }
}
