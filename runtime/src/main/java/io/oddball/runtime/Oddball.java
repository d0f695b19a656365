package io.oddball.runtime;

import com.google.inject.Guice;
import io.oddball.api.DetectorContext;
import io.oddball.api.DetectorProvider;
import io.oddball.api.EmbedderProvider;
import io.oddball.api.ScorerProvider;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.api.data.DataReaderProvider;
import io.oddball.api.data.Dataset;
import io.oddball.runtime.eval.EvaluationResult;
import io.oddball.runtime.pipeline.ComponentSpec;
import io.oddball.runtime.pipeline.DataOpener;
import io.oddball.runtime.pipeline.DetectorStore;
import io.oddball.runtime.pipeline.Evaluator;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.pipeline.PipelineAssembler;
import io.oddball.runtime.pipeline.PipelineFitter;
import io.oddball.runtime.pipeline.PipelineParser;
import io.oddball.runtime.pipeline.PipelineSpec;
import io.oddball.runtime.plugin.PluginDiscovery;
import io.oddball.runtime.plugin.Plugins;
import io.oddball.runtime.plugin.Providers;
import jakarta.inject.Inject;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runtime's one entry point for the CLI and Java users: reads YAML pipelines, opens data, fits, saves, loads,
 * infers thresholds and evaluates, choosing every component by its type name among the discovered providers. Each
 * job is done by one class of {@code io.oddball.runtime.pipeline} ({@link PipelineParser} and
 * {@link PipelineAssembler}, {@link DataOpener}, {@link PipelineFitter}, {@link DetectorStore}, {@link Evaluator});
 * this facade wires them to the providers. It holds no state of its own, so one instance serves many pipelines.
 */
public final class Oddball {
    /** Default threshold strategy: the 95th percentile of the training scores (cleanlab's tutorial rule). */
    public static final ComponentSpec DEFAULT_THRESHOLD = PipelineParser.DEFAULT_THRESHOLD;
    /** Default scorer: Alibi's mean over all feature scores ({@code outlierPerc: 100}). */
    public static final ComponentSpec DEFAULT_SCORER = PipelineParser.DEFAULT_SCORER;

    private final Providers providers;
    private final DataOpener data;
    private final PipelineParser parser;
    private final DetectorStore store;
    private final PipelineAssembler assembler;
    private final Evaluator evaluator;

    @Inject
    public Oddball(Map<String, DetectorProvider> detectors, Map<String, ScorerProvider> scorers,
            Map<String, ThresholdStrategyProvider> thresholds, Map<String, DataReaderProvider> readers,
            Map<String, EmbedderProvider> embedders, Plugins plugins) {
        this.providers = new Providers(detectors, scorers, thresholds, readers, embedders, plugins);
        this.data = new DataOpener(readers);
        this.parser = new PipelineParser(providers, data);
        this.store = new DetectorStore(providers);
        this.assembler = new PipelineAssembler(store);
        this.evaluator = new Evaluator(providers);
    }

    /** Discovers plugins (class path + {@code pluginDirs}) and wires the service with Guice. */
    public static Oddball create(List<Path> pluginDirs) {
        Plugins p = PluginDiscovery.discover(Oddball.class.getClassLoader(), pluginDirs);
        return Guice.createInjector(new OddballModule(p)).getInstance(Oddball.class);
    }

    /** The plugin folders named by {@code ODDBALL_PLUGINS} (separated by the path separator), if set. */
    public static List<Path> pluginDirsFromEnvironment() {
        String env = System.getenv("ODDBALL_PLUGINS");
        List<Path> out = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            for (String s : env.split(File.pathSeparator)) {
                if (!s.isBlank()) {
                    out.add(Path.of(s.trim()));
                }
            }
        }
        return out;
    }

    /** Everything discovered, with the problems met. */
    public Plugins plugins() {
        return providers.plugins();
    }

    /** The parser alone: reads and checks a pipeline without making its detector or embed stage. */
    public PipelineParser parser() {
        return parser;
    }

    /**
     * Reads and checks a YAML pipeline and makes its (unfitted) detector and embed stage: every unknown key, wrong
     * type, out-of-range value, unknown type and missing file is reported at once as a
     * {@link io.oddball.api.error.ConfigException} naming {@code file:line path}.
     */
    public PipelineSpec parse(Path yaml, DetectorContext context) {
        return assembler.assemble(parser.parse(yaml), context);
    }

    /**
     * Fits a checked pipeline: trains the detector (streaming the data through the preprocessing), scores the
     * training data (or {@code threshold.data}) and sets the threshold by the pipeline's strategy.
     */
    public Pipeline fit(PipelineSpec spec, DetectorContext context) {
        return PipelineFitter.fit(spec, context);
    }

    /** Reads, checks and fits a YAML pipeline. */
    public Pipeline fit(Path yaml, DetectorContext context) {
        return fit(parse(yaml, context), context);
    }

    /**
     * Saves atomically to {@code dir}, which must not exist or be an empty folder: {@code detector.yaml} +
     * {@code model/}, and {@code embed/} (a copy of the embedding model) when the pipeline has an embedding stage.
     *
     * @throws io.oddball.api.error.ConfigException if {@code dir} exists and is not empty; nothing is written then
     */
    public void save(Pipeline pipeline, Path dir) {
        save(pipeline, dir, false);
    }

    /**
     * As {@link #save(Pipeline, Path)}; with {@code overwrite}, a saved detector at {@code dir} is replaced (atomically:
     * the old one is removed once the new one is in place), while a folder holding anything else is still refused.
     */
    public void save(Pipeline pipeline, Path dir, boolean overwrite) {
        store.save(pipeline, dir, overwrite);
    }

    /** The {@code detector.yaml} contents of a pipeline. */
    public Map<String, Object> describe(Pipeline p) {
        return store.describe(p);
    }

    /** Loads a saved detector, checking its format version, type and input shape. */
    public Pipeline load(Path dir, DetectorContext context) {
        return store.load(dir, context);
    }

    /** See {@link DataOpener#openFor}: data in the shape {@code pipeline} takes (photos of any size resized). */
    public Dataset openData(Pipeline pipeline, Path file, String format, Map<String, Object> options) {
        return data.openFor(pipeline, file, format, options);
    }

    /** Opens a data file (format from the extension unless given) with reader options. */
    public Dataset openData(Path file, String format, Map<String, Object> options) {
        return data.open(file, format, options);
    }

    /**
     * Alibi's {@code infer_threshold}: sets the threshold to the {@code percent}-th percentile (numpy linear
     * interpolation) of the instance scores of {@code data}.
     */
    public double inferThreshold(Pipeline pipeline, Dataset data, double percent, int batchSize,
            DetectorContext context) {
        return inferThreshold(pipeline, data, percent, batchSize, context, null);
    }

    /**
     * As {@link #inferThreshold(Pipeline, Dataset, double, int, DetectorContext)}, recording {@code inferredOn} (how
     * the data were read, e.g. {@code data.npy -O limit=1000}; null: the data's name) as the data the threshold was
     * inferred on ({@code threshold.inferredOn} in {@code detector.yaml}).
     */
    public double inferThreshold(Pipeline pipeline, Dataset data, double percent, int batchSize,
            DetectorContext context, String inferredOn) {
        ComponentSpec spec = new ComponentSpec("percentile", Map.of("percent", percent));
        return inferThreshold(pipeline, data, spec, batchSize, context, inferredOn);
    }

    /** Sets the threshold with any strategy on the scores (and labels) of {@code data}. */
    public double inferThreshold(Pipeline pipeline, Dataset data, ComponentSpec strategySpec, int batchSize,
            DetectorContext context) {
        return inferThreshold(pipeline, data, strategySpec, batchSize, context, null);
    }

    /** As {@link #inferThreshold(Pipeline, Dataset, ComponentSpec, int, DetectorContext)}, recording {@code inferredOn}. */
    public double inferThreshold(Pipeline pipeline, Dataset data, ComponentSpec strategySpec, int batchSize,
            DetectorContext context, String inferredOn) {
        return evaluator.inferThreshold(pipeline, data, strategySpec, batchSize, context, inferredOn);
    }

    /** Rewrites the threshold in a saved detector's {@code detector.yaml} (atomically), leaving the model as is. */
    public void saveThreshold(Pipeline pipeline, Path dir) {
        store.saveThreshold(pipeline, dir);
    }

    /**
     * Scores {@code in} (normal, label 0) and {@code ood} (outliers, label 1) with the pipeline, streamed in
     * batches, and computes the metrics at the pipeline's threshold ({@code score > threshold} = outlier), with those
     * of the detector's alternative scores.
     */
    public EvaluationResult evaluate(Pipeline pipeline, Dataset in, Dataset ood, int batchSize,
            DetectorContext context) {
        return evaluator.evaluate(pipeline, in, ood, batchSize, context);
    }
}
