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
     * Loads a detector saved by {@link Detector#save}. {@code hyperParameters} hold what the detector returned from
     * {@link Detector#hyperParameters()} when it was saved, read as {@link #create} reads its YAML block; the caller
     * reports unread keys and recorded problems as a format error of the saved detector.
     *
     * <p>The default calls the map form below, for plugins built against api 1.2, and marks every key read.
     *
     * @throws io.oddball.api.error.ModelFormatException if the files are missing or do not match
     * @since api 1.3
     */
    default Detector load(Path modelDir, Params hyperParameters, DetectorContext context) {
        Map<String, Object> raw = hyperParameters.asMap();
        for (String key : hyperParameters.keys()) {
            hyperParameters.getRaw(key);
        }
        return load(modelDir, raw, context);
    }

    /**
     * Loads a detector saved by {@link Detector#save} from its hyper-parameters as a plain map.
     *
     * @deprecated since api 1.3: implement {@link #load(Path, Params, DetectorContext)}, which the runtime calls
     *     (or extend {@link ConfiguredDetectorProvider}); kept so that plugins built against api 1.2 still load
     * @throws UnsupportedOperationException unless overridden
     */
    @Deprecated(since = "api 1.3")
    default Detector load(Path modelDir, Map<String, Object> hyperParameters, DetectorContext context) {
        throw new UnsupportedOperationException(name() + ": the provider implements no load method");
    }
}
