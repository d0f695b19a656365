package io.oddball.api;

import static java.util.Objects.requireNonNull;

import io.oddball.api.error.ModelFormatException;
import java.nio.file.Path;

/**
 * A provider whose detectors are made from one configuration value {@code C} (typically a record): the same reader
 * ({@link #configure}) turns a YAML {@code detector} block into {@code C} for a new detector and a saved detector's
 * hyper-parameters into {@code C} when it is loaded, so a provider writes its name, its schema and three short
 * methods and nothing else. Bad values are recorded as problems of the {@link Params} by {@link #configure}; the
 * runtime reports them, with every unread key, as a configuration error (YAML); on load a recorded problem is a
 * format error of the saved detector, thrown before any of its files is read.
 *
 * <pre>{@code
 * public final class MeanDistanceProvider extends ConfiguredDetectorProvider<MeanDistanceConfig, MeanDistance> {
 *     public MeanDistanceProvider() {
 *         super("mean-distance", "1.0.0", "distance to the training mean");
 *     }
 *     public ConfigSchema configSchema() { return MeanDistanceConfig.SCHEMA; }
 *     protected MeanDistanceConfig configure(Params p) { return MeanDistanceConfig.from(p); }
 *     protected MeanDistance create(MeanDistanceConfig c, DetectorContext ctx) { return new MeanDistance(c, ctx); }
 *     protected MeanDistance load(Path dir, MeanDistanceConfig c, DetectorContext ctx) {
 *         return MeanDistance.read(dir, c, ctx);
 *     }
 * }
 * }</pre>
 *
 * @param <C> the configuration of one detector
 * @param <D> the detectors it makes
 * @since api 1.3
 */
public abstract class ConfiguredDetectorProvider<C, D extends Detector> implements DetectorProvider {
    private final String name;
    private final String version;
    private final String description;

    /**
     * @param name the YAML {@code detector.type}, lower-case kebab
     * @param version version of the detector implementation, written into saved detectors
     * @param description one line saying what the detector does
     */
    protected ConfiguredDetectorProvider(String name, String version, String description) {
        this.name = requireNonNull(name, "name is null");
        this.version = requireNonNull(version, "version is null");
        this.description = requireNonNull(description, "description is null");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String version() {
        return version;
    }

    @Override
    public final String description() {
        return description;
    }

    /** Reads the configuration from {@code params}, recording bad values with {@link Params#problem}. */
    protected abstract C configure(Params params);

    /** An unfitted detector of configuration {@code config}. */
    protected abstract D create(C config, DetectorContext context);

    /**
     * The detector saved in {@code modelDir} (the folder {@link Detector#save} wrote) with configuration
     * {@code config}.
     *
     * @throws io.oddball.api.error.ModelFormatException if the files are missing or do not match
     */
    protected abstract D load(Path modelDir, C config, DetectorContext context);

    @Override
    public D create(Params params, DetectorContext context) {
        requireNonNull(params, "params is null");
        requireNonNull(context, "context is null");
        return create(configure(params), context);
    }

    @Override
    public D load(Path modelDir, Params hyperParameters, DetectorContext context) {
        requireNonNull(modelDir, "modelDir is null");
        requireNonNull(hyperParameters, "hyperParameters is null");
        requireNonNull(context, "context is null");
        C config = configure(hyperParameters);
        if (!hyperParameters.problems().isEmpty()) { // no file is read with stand-in values
            // each problem once prefixed: a Params read from detector.yaml names its keys hyperParameters.KEY already
            throw new ModelFormatException(modelDir + ": " + String.join("; ", hyperParameters.problems().stream()
                    .map(p -> p.startsWith("hyperParameters.") ? p : "hyperParameters." + p).toList()));
        }
        return load(modelDir, config, context);
    }
}
