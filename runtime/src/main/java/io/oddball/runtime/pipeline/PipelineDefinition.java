package io.oddball.runtime.pipeline;

import io.oddball.api.DetectorProvider;
import io.oddball.api.EmbedderProvider;
import io.oddball.api.FitOptions;
import io.oddball.api.MapParams;
import io.oddball.api.Params;
import io.oddball.api.Scorer;
import io.oddball.api.ThresholdStrategy;
import io.oddball.api.data.Dataset;
import io.oddball.api.error.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A YAML pipeline as {@link PipelineParser} read it: the components the runtime makes itself (scorer, threshold
 * strategy, preprocessing, the opened data), the providers of those a plugin makes (detector, embed stage) with the
 * parameter blocks they are to read, and every problem found so far. Holds nothing native and nothing to close
 * (Oddball's readers open their files anew on each pass over the data).
 *
 * @param file the YAML file
 * @param locator where each YAML path is written, for problems found later
 * @param problems every problem the parser found, each {@code file:line path: expected X, found Y}
 * @param provider the detector's provider, null when its type is unknown
 * @param detectorParams the {@code detector} block for {@code provider} to read (its {@code type} and {@code fit}
 *     already read); null with no provider
 * @param train the training data, null when they could not be opened
 * @param threshold the threshold strategy, null when its type is unknown
 * @param thresholdData {@code threshold.data}, or null
 * @param evaluateIn {@code evaluate.in}, or null
 * @param evaluateOod {@code evaluate.ood}, or null
 * @param embed the embed stage to make, or null for none (or one that cannot be made)
 */
public record PipelineDefinition(Path file, MapParams.Locator locator, List<String> problems,
        DetectorProvider provider, Params detectorParams, FitOptions fit, Dataset train, Preprocessor preprocessor,
        ComponentSpec scorerSpec, Scorer scorer, ComponentSpec thresholdSpec, ThresholdStrategy threshold,
        Dataset thresholdData, Dataset evaluateIn, Dataset evaluateOod, EmbedPlan embed) {
    public PipelineDefinition {
        problems = List.copyOf(problems);
    }

    /**
     * The {@code embed} block: the encoder of the saved detector in {@code detectorDir} ({@code embed: {detector:
     * DIR}}), or an embedder of {@code provider} ({@code embed: {type: NAME, ...}}).
     *
     * @param params the block, for the provider to read (or to record a problem of the saved detector on)
     * @param baseDir the YAML file's folder, against which the embedder resolves its paths
     * @param detectorDir the saved detector's folder; null for the provider form
     * @param detectorPath {@code embed.detector} as written
     * @param provider the embedder's provider; null for the saved-detector form
     * @param type the embedder's type name; null for the saved-detector form
     */
    public record EmbedPlan(Params params, Path baseDir, Path detectorDir, String detectorPath,
            EmbedderProvider provider, String type) {
    }

    /** Throws every problem the parser found, at once, as one {@link ConfigException}; nothing when there is none. */
    public void check() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Every problem of {@code p} (those recorded and each key never read, as {@link Params#finish()}), or none. */
    static List<String> problemsOf(Params p) {
        try {
            p.finish();
            return new ArrayList<>();
        } catch (ConfigException e) {
            return new ArrayList<>(e.problems());
        }
    }
}
