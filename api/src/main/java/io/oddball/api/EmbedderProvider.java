package io.oddball.api;

import java.nio.file.Path;

/**
 * A named, stateless factory of one kind of {@link Embedder}, found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.oddball.api.EmbedderProvider}). The name is the YAML {@code embed.type}.
 */
public interface EmbedderProvider {
    /** Type name, lower-case kebab, e.g. {@code saved-model}. */
    String name();

    /** Version of this embedder implementation (written to saved detectors). */
    String version();

    /** One line saying what the embedder does. */
    default String description() {
        return "";
    }

    /** The parameters {@link #create} reads, with defaults, for documentation and {@code oddball plugins}. */
    ConfigSchema configSchema();

    /**
     * Makes a ready embedder (its model loaded) from {@code params} (the YAML {@code embed} block without
     * {@code type}, or the block a saved detector recorded). Relative paths are resolved against {@code baseDir}.
     * Wrong values are recorded with {@link Params#problem} (the caller reports them with the rest of the file);
     * when they leave nothing to make, this throws the {@link io.oddball.api.error.ConfigException} of
     * {@link Params#problems()}. The caller reports unread keys.
     */
    Embedder create(Params params, Path baseDir, DetectorContext context);
}
