package io.oddball.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * A named, stateless factory of one kind of {@link Detector}, found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.oddball.api.DetectorProvider}). The name is the YAML {@code detector.type}.
 */
public interface DetectorProvider {
    /** Type name, lower-case kebab, e.g. {@code knn}. */
    String name();

    /** Version of this detector implementation (written to saved detectors). */
    String version();

    /** One line saying what the detector does. */
    default String description() {
        return "";
    }

    /** The parameters {@link #create} reads, with defaults, for documentation and {@code oddball plugins}. */
    ConfigSchema configSchema();

    /**
     * Makes an unfitted detector. Reads its parameters from {@code params} (the YAML {@code detector} block without
     * {@code type} and {@code fit}); the caller reports unread keys and recorded problems.
     */
    Detector create(Params params, DetectorContext context);

    /**
     * Loads a detector saved by {@link Detector#save}. {@code hyperParameters} are those the detector returned when
     * saved.
     *
     * @throws io.oddball.api.error.ModelFormatException if the files are missing or do not match
     */
    Detector load(Path modelDir, Map<String, Object> hyperParameters, DetectorContext context);
}
