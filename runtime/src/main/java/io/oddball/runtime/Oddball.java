package io.oddball.runtime;

import com.google.inject.Guice;
import io.oddball.api.Api;
import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.DetectorProvider;
import io.oddball.api.Embedder;
import io.oddball.api.EmbedderProvider;
import io.oddball.api.FitOptions;
import io.oddball.api.Params;
import io.oddball.api.Progress;
import io.oddball.api.Scorer;
import io.oddball.api.ScorerProvider;
import io.oddball.api.ThresholdStrategy;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.api.data.DataReaderProvider;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.api.error.OddballException;
import io.oddball.api.result.Scores;
import io.oddball.api.error.DidYouMean;
import io.oddball.runtime.config.YamlDocument;
import io.oddball.runtime.data.DataFormats;
import io.oddball.runtime.data.Shapes;
import io.oddball.runtime.eval.Evaluation;
import io.oddball.runtime.pipeline.ComponentSpec;
import io.oddball.runtime.pipeline.DetectorStore;
import io.oddball.runtime.pipeline.EmbedStage;
import io.oddball.runtime.pipeline.EncoderEmbedder;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.pipeline.PipelineInfo;
import io.oddball.runtime.pipeline.Preprocessor;
import io.oddball.runtime.pipeline.TrainingData;
import io.oddball.runtime.plugin.Kind;
import io.oddball.runtime.plugin.Lookup;
import io.oddball.runtime.plugin.PluginDiscovery;
import io.oddball.runtime.plugin.Plugins;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's one service: reads YAML pipelines, opens data, fits, saves, loads, scores, infers thresholds and
 * evaluates, choosing every component by its type name among the discovered providers. The CLI and Java users call
 * this; it holds no state of its own besides the providers, so one instance serves many pipelines.
 */
public final class Oddball {
    private static final Logger LOG = LoggerFactory.getLogger(Oddball.class);

    /** Default threshold strategy: the 95th percentile of the training scores (cleanlab's tutorial rule). */
    public static final ComponentSpec DEFAULT_THRESHOLD = new ComponentSpec("percentile", Map.of("percent", 95.0));
    /** Default scorer: Alibi's mean over all feature scores ({@code outlierPerc: 100}). */
    public static final ComponentSpec DEFAULT_SCORER = new ComponentSpec("top-percent", Map.of("outlierPerc", 100.0));

    private final Map<String, DetectorProvider> detectors;
    private final Map<String, ScorerProvider> scorers;
    private final Map<String, ThresholdStrategyProvider> thresholds;
    private final Map<String, DataReaderProvider> readers;
    private final Map<String, EmbedderProvider> embedders;
    private final Plugins plugins;

    @Inject
    public Oddball(Map<String, DetectorProvider> detectors, Map<String, ScorerProvider> scorers,
            Map<String, ThresholdStrategyProvider> thresholds, Map<String, DataReaderProvider> readers,
            Map<String, EmbedderProvider> embedders, Plugins plugins) {
        this.detectors = Map.copyOf(detectors);
        this.scorers = Map.copyOf(scorers);
        this.thresholds = Map.copyOf(thresholds);
        this.readers = Map.copyOf(readers);
        this.embedders = Map.copyOf(embedders);
        this.plugins = Objects.requireNonNull(plugins, "plugins is null");
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
            for (String s : env.split(java.io.File.pathSeparator)) {
                if (!s.isBlank()) {
                    out.add(Path.of(s.trim()));
                }
            }
        }
        return out;
    }

    /** Everything discovered, with the problems met. */
    public Plugins plugins() {
        return plugins;
    }

    // ------------------------------------------------------------------ fitting

    /** A pipeline read from YAML and checked, ready to fit: nothing has been trained or written yet. */
    public record PipelineSpec(Path file, DetectorProvider provider, Detector detector, FitOptions fit,
            Dataset train, Preprocessor preprocessor, ComponentSpec scorerSpec, Scorer scorer,
            ComponentSpec thresholdSpec, ThresholdStrategy threshold, Dataset thresholdData, Dataset evaluateIn,
            Dataset evaluateOod, EmbedStage embed) {
        /** Whether the pipeline names data to evaluate on ({@code evaluate: {in: ..., ood: ...}}). */
        public boolean hasEvaluation() {
            return evaluateIn != null && evaluateOod != null;
        }
    }

    /**
     * Reads and checks a YAML pipeline: every unknown key, wrong type, out-of-range value, unknown type and missing
     * file is reported at once as a {@link ConfigException} naming {@code file:line path}.
     */
    public PipelineSpec parse(Path yaml, DetectorContext context) {
        YamlDocument doc = YamlDocument.read(yaml);
        Params root = doc.params();
        Path base = yaml.toAbsolutePath().getParent();
        // how to get the pipeline's data files (e.g. "data/download.sh cifar10"), named when one is missing
        String download = root.getString("download", null);

        Params det = root.child("detector");
        if (!root.has("detector")) {
            root.problem("detector", "a mapping with at least 'type'", null);
        }
        String type = det.requireString("type");
        Params fitParams = det.child("fit");
        FitOptions fit = FitOptions.from(fitParams);
        DetectorProvider provider = type == null ? null : lookup(det, "type", Kind.DETECTOR, type, detectors);

        Params data = root.child("data");
        Params trainParams = data.child("train");
        if (!data.has("train")) {
            data.problem("train", "a mapping with 'path' (and optional 'format')", null);
        }
        // a train value of the wrong kind is reported once (by child), not again as a missing path
        Dataset train = data.asMap().get("train") instanceof Map<?, ?> ? openData(trainParams, base, null, download)
                : null;
        if (train != null && train.instanceShape().rank() == 2) {
            // an (N, H, W) array holds images without a channel axis: the detector sees them as H x W x 1
            train = Shapes.reshape(train, Shapes.withChannel(train.instanceShape()));
        }


        Preprocessor preprocessor = Preprocessor.from(root.children("preprocess"));
        ConfigException embedFailure = null;
        EmbedStage embed = null;
        if (root.has("embed")) {
            try {
                embed = embedStage(root.child("embed"), base, context);
            } catch (ConfigException e) {
                embedFailure = e;
            }
            if (embed != null && train != null && embed.inputShape() != null
                    && !embed.inputShape().equals(train.instanceShape())) {
                if (Shapes.sameLayout(train.instanceShape(), embed.inputShape())) {
                    train = Shapes.reshape(train, embed.inputShape());
                } else {
                    trainParams.problem("path", Shapes.describe(embed.inputShape()) + " (the embed stage's input)",
                            new Described(Shapes.mismatch(train.instanceShape(), embed.inputShape(), true)));
                }
            }
        }

        Shape rawShape = train == null ? null : train.instanceShape();

        Params sc = root.child("scorer");
        String scType = sc.getString("type", DEFAULT_SCORER.type());
        ScorerProvider scProvider = lookup(sc, "type", Kind.SCORER, scType, scorers);
        ComponentSpec scorerSpec;
        Scorer scorer = null;
        if (root.has("scorer")) {
            scorerSpec = ComponentSpec.fromMap(sc.asMap());
            scorerSpec = new ComponentSpec(scType, scorerSpec.params());
        } else {
            scorerSpec = DEFAULT_SCORER;
        }
        if (scProvider != null) {
            scorer = root.has("scorer") ? scProvider.create(sc) : scProvider.create(Params.of(scorerSpec.params()));
        }

        Params th = root.child("threshold");
        String thType = th.getString("type", DEFAULT_THRESHOLD.type());
        ThresholdStrategyProvider thProvider = lookup(th, "type", Kind.THRESHOLD, thType, thresholds);
        Dataset thresholdData = th.has("data") ? openData(th.child("data"), base, rawShape, download) : null;
        ComponentSpec thresholdSpec;
        if (root.has("threshold")) {
            Map<String, Object> m = new LinkedHashMap<>(th.asMap());
            m.remove("data");
            thresholdSpec = ComponentSpec.fromMap(m);
            thresholdSpec = new ComponentSpec(thType, thresholdSpec.params());
        } else {
            thresholdSpec = DEFAULT_THRESHOLD;
        }
        ThresholdStrategy strategy = null;
        if (thProvider != null) {
            strategy = root.has("threshold") ? thProvider.create(th)
                    : thProvider.create(Params.of(thresholdSpec.params()));
        }

        Params ev = root.child("evaluate");
        Dataset evaluateIn = null;
        Dataset evaluateOod = null;
        if (root.has("evaluate")) {
            evaluateIn = ev.has("in") ? openData(ev.child("in"), base, rawShape, download) : null;
            evaluateOod = ev.has("ood") ? openData(ev.child("ood"), base, rawShape, download) : null;
            if (!ev.has("in") || !ev.has("ood")) {
                ev.problem(ev.has("in") ? "ood" : "in", "both 'in' (normal data) and 'ood' (outliers)", null);
            }
        }

        Detector detector = null;
        if (provider != null) {
            try {
                detector = withLoader(provider, () -> provider.create(det, context));
            } catch (RuntimeException e) {
                if (embed != null) {
                    embed.close();
                }
                throw e;
            }
        } else {
            det.keys().forEach(det::getRaw);
        }
        root.getRaw("version");
        List<String> problems = new ArrayList<>();
        try {
            root.finish();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        if (embedFailure != null) {
            embedFailure.problems().stream().filter(m -> !problems.contains(m)).forEach(problems::add);
        }
        if (!problems.isEmpty()) {
            if (detector != null) {
                detector.close();
            }
            if (embed != null) {
                embed.close();
            }
            throw new ConfigException(problems);
        }
        if (strategy != null && strategy.needsLabels()) {
            Dataset labelled = thresholdData != null ? thresholdData : train;
            if (!labelled.hasLabels()) {
                detector.close();
                if (embed != null) {
                    embed.close();
                }
                throw new ConfigException(doc.locator().locate("threshold") + " threshold: '" + thType
                        + "' needs labelled data (1 = outlier): expected threshold.data with labels, found "
                        + labelled.name() + " without labels");
            }
        }
        preprocessor.check(train.instanceShape(), yaml.toString());
        return new PipelineSpec(yaml, provider, detector, fit, train, preprocessor, scorerSpec, scorer,
                thresholdSpec, strategy, thresholdData, evaluateIn, evaluateOod, embed);
    }

    /**
     * The {@code embed} block: {@code {detector: DIR}} (the encoder of a saved detector) or {@code {type: NAME, ...}}
     * (an embedder provider). Problems go to {@code p}; a ConfigException when nothing could be made.
     */
    private EmbedStage embedStage(Params p, Path base, DetectorContext context) {
        if (p.has("detector")) {
            String path = p.getString("detector", null);
            if (p.has("type")) {
                p.problem("type", "no type with 'detector' (the encoder of a saved detector)", p.getRaw("type"));
            }
            Path dir = path == null ? null : resolve(base, path);
            if (dir == null || !Files.isDirectory(dir)) {
                p.problem("detector", "a saved detector directory (looked for " + dir + ")", path);
                return null;
            }
            Pipeline source;
            try {
                source = load(dir, context);
            } catch (OddballException e) {
                p.problem("detector", "a saved detector that loads (" + e.getMessage() + ")", path);
                return null;
            }
            try {
                return new EmbedStage(new EncoderEmbedder(source, dir), null, Map.of("detector", dir.toString()));
            } catch (IllegalArgumentException e) {
                source.close();
                p.problem("detector", "a saved detector that can encode (e.g. type ae)", "type '"
                        + source.detectorName() + "'");
                return null;
            }
        }
        String type = p.requireString("type");
        EmbedderProvider provider = type == null ? null : lookup(p, "type", Kind.EMBEDDER, type, embedders);
        if (provider == null) {
            p.keys().forEach(p::getRaw);
            return null;
        }
        Map<String, Object> description = new LinkedHashMap<>(p.asMap());
        Embedder embedder = withLoader(provider, () -> provider.create(p, base, context));
        return new EmbedStage(embedder, type, description);
    }

    /** The Maven artifact of each detector type that ships with Oddball, named when its plugin is missing. */
    private static final Map<String, String> SHIPPED_DETECTORS = Map.of("knn", "oddball-detector-knn",
            "ae", "oddball-detector-ae", "vae", "oddball-detector-vae", "llr", "oddball-detector-llr");

    /**
     * What to add when {@code type}, one of Oddball's own detector types, has no plugin on the class path (a Java
     * user who depends on {@code oddball-runtime} alone); null for other names.
     */
    static String missingDetectorHint(String type) {
        String artifact = SHIPPED_DETECTORS.get(type);
        return artifact == null ? null : "its plugin is not on the class path: add the dependency io.oddball:"
                + artifact + ", or io.oddball:oddball-all";
    }

    /**
     * A value for {@link Params#problem} already written as it should appear after "found" ({@code 'kn'; did you
     * mean 'knn'?}).
     */
    private record Described(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private <T> T lookup(Params where, String key, Kind kind, String name, Map<String, T> byName) {
        Lookup found = plugins.lookup(kind, name);
        if (found instanceof Lookup.Found) {
            return byName.get(name);
        }
        String hint = found instanceof Lookup.Clash clash ? " (" + clash.message() + ")" : "";
        String more = found instanceof Lookup.Unknown ? unknownHint(kind, name) : "";
        where.problem(key, "a known " + kind.label() + " type " + plugins.names(kind) + hint,
                new Described("'" + name + "'" + more));
        return null;
    }

    /** What to add after an unknown type: the artifact of a shipped detector, a did-you-mean. */
    private String unknownHint(Kind kind, String name) {
        String artifact = kind == Kind.DETECTOR ? missingDetectorHint(name) : null;
        return (artifact == null ? "" : " (" + artifact + ")") + DidYouMean.hint(name, plugins.names(kind));
    }

    /**
     * Opens a data block ({@code path}, {@code format}, reader options) of a pipeline; with {@code expected} (the
     * training data's instance shape), data of the same layout are read in that shape and any other shape is a
     * problem naming the block's path, with the {@code shape:} option that fixes it where one does. A missing file
     * names {@code download}, the pipeline's way to get it, if given.
     */
    private Dataset openData(Params p, Path base, Shape expected, String download) {
        String path = p.requireString("path");
        String format = p.getString("format", null);
        if (path == null) {
            return null;
        }
        Path file = resolve(base, path);
        if (!Files.exists(file)) {
            p.problem("path", "an existing file or folder (looked for " + file + ")",
                    download == null ? path : new Described("'" + path + "' (run " + download + " to get it)"));
            p.keys().forEach(p::getRaw);
            return null;
        }
        DataReaderProvider reader;
        try {
            reader = DataFormats.resolve(file, format, readers);
        } catch (ConfigException e) {
            p.problem(format != null ? "format" : "path", format != null ? "a known data format "
                    + List.copyOf(readers.keySet()) : "a file of a known format (" + e.getMessage() + ")",
                    format != null ? new Described("'" + format + "'" + DidYouMean.hint(format, readers.keySet()))
                            : path);
            p.keys().forEach(p::getRaw);
            return null;
        }
        Dataset d = reader.open(file, p);
        if (expected == null || d.instanceShape().equals(expected)) {
            return d;
        }
        if (Shapes.sameLayout(d.instanceShape(), expected)) {
            return Shapes.reshape(d, expected);
        }
        p.problem("path", Shapes.describe(expected) + " (as data.train)",
                new Described(Shapes.mismatch(d.instanceShape(), expected, true)));
        return d;
    }

    /**
     * A data path of a pipeline: relative to the YAML file's folder, or, when nothing is there, to the working
     * directory (so {@code ../shared/data/...} works from the project root as in the examples).
     */
    static Path resolve(Path base, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        Path fromFile = base.resolve(p).normalize();
        if (Files.exists(fromFile)) {
            return fromFile;
        }
        Path fromCwd = p.toAbsolutePath().normalize();
        return Files.exists(fromCwd) ? fromCwd : fromFile;
    }

    /**
     * Opens data to score with {@code pipeline}: as {@link #openData(Path, String, Map)}, and when the data are image
     * files (a PNG/JPEG file or folder) with no {@code size}/{@code channels} option, they are resized to the
     * detector's input height and width and read with its channel count, so a photo of any size can be scored.
     * Instances of {@code HxW} are read as {@code HxWx1} (and the other way round) where the pipeline takes those.
     *
     * @throws DataException naming the file when its instances have another shape than the pipeline's input, with the
     *     {@code -O shape=...} option that fixes it when the number of values per instance is right
     */
    public Dataset openData(Pipeline pipeline, Path file, String format, Map<String, Object> options) {
        Map<String, Object> o = new LinkedHashMap<>(options == null ? Map.of() : options);
        Shape in = pipeline.inputShape();
        if (Files.exists(file) && in != null && in.rank() == 3
                && "images".equals(DataFormats.resolve(file, format, readers).name())) {
            o.putIfAbsent("size", List.of(in.dim(0), in.dim(1)));
            o.putIfAbsent("channels", in.dim(2));
        }
        Dataset d = openData(file, format, o);
        if (in == null || d.instanceShape().equals(in)) {
            return d;
        }
        if (Shapes.sameLayout(d.instanceShape(), in)) {
            return Shapes.reshape(d, in);
        }
        throw new DataException(d.name() + ": expected " + Shapes.describe(in) + " (the detector's input), found "
                + Shapes.mismatch(d.instanceShape(), in, false));
    }

    /** Opens a data file (format from the extension unless given) with reader options. */
    public Dataset openData(Path file, String format, Map<String, Object> options) {
        if (!Files.exists(file)) {
            throw new ConfigException(file + ": expected a data file or folder, found no such file");
        }
        DataReaderProvider reader = DataFormats.resolve(file, format, readers);
        Params p = Params.of(options == null ? Map.of() : options, "options", null);
        Dataset d = reader.open(file, p);
        p.finish();
        return d;
    }

    /**
     * Fits a checked pipeline: trains the detector (streaming the data through the preprocessing), scores the
     * training data (or {@code threshold.data}) and sets the threshold by the pipeline's strategy.
     */
    public Pipeline fit(PipelineSpec spec, DetectorContext context) {
        Detector detector = spec.detector();
        try {
            Shape shape = spec.train().instanceShape();
            LOG.info("fitting '{}' on {} (instances of shape {})", spec.provider().name(), spec.train().name(), shape);
            TrainingData prepared = new TrainingData(spec.train(), spec.preprocessor(), spec.embed());
            boolean scoresFromTrain = spec.threshold().needsScores() && spec.thresholdData() == null;
            Scores trainScores = withLoader(spec.provider(), () -> {
                if (scoresFromTrain) {
                    return detector.fitScore(prepared, spec.fit());
                }
                detector.fit(prepared, spec.fit());
                return null;
            });
            if (context.stopRequested()) {
                throw new OddballException("fit stopped by the user; nothing was saved");
            }
            String now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
            PipelineInfo info = new PipelineInfo(spec.train().name(), prepared.instances(), prepared.fingerprint(),
                    now, null);
            Pipeline pipeline = new Pipeline(detector, spec.provider().version(), spec.preprocessor(), spec.embed(),
                    spec.scorer(), spec.scorerSpec(), spec.thresholdSpec(), Double.NaN, info);
            double threshold;
            String thresholdOn;
            if (!spec.threshold().needsScores()) {
                threshold = spec.threshold().threshold(new float[0], null);
                thresholdOn = null;
            } else if (spec.thresholdData() != null) {
                Pipeline.LabelledScores ls;
                try (Progress progress = RuntimeContext.scoring(context, "threshold data",
                        RuntimeContext.total(spec.thresholdData()))) {
                    ls = pipeline.scoreAll(spec.thresholdData(), spec.fit().batchSize(), context::stopRequested,
                            progress);
                }
                threshold = spec.threshold().threshold(ls.scores(), ls.labels());
                thresholdOn = spec.thresholdData().name();
            } else {
                float[] s = trainScores.hasInstanceScores() ? trainScores.instanceScores()
                        : spec.scorer().instanceScores(trainScores.featureScores(), trainScores.size(),
                                (int) trainScores.featureShape().size());
                threshold = spec.threshold().threshold(s, null);
                thresholdOn = spec.train().name() + " (training scores)";
            }
            pipeline.setThreshold(threshold, spec.thresholdSpec(), info.withThresholdData(thresholdOn));
            LOG.info("threshold {} = {}", spec.thresholdSpec().describe(), threshold);
            return pipeline;
        } catch (RuntimeException | Error e) {
            detector.close();
            if (spec.embed() != null) {
                spec.embed().close();
            }
            throw e;
        }
    }

    /** Reads, checks and fits a YAML pipeline. */
    public Pipeline fit(Path yaml, DetectorContext context) {
        return fit(parse(yaml, context), context);
    }

    // ------------------------------------------------------------------ save and load

    /**
     * Saves atomically to {@code dir}, which must not exist or be an empty folder: {@code detector.yaml} +
     * {@code model/}, and {@code embed/} (a copy of the embedding model) when the pipeline has an embedding stage.
     *
     * @throws ConfigException if {@code dir} exists and is not empty; nothing is written then
     */
    public void save(Pipeline pipeline, Path dir) {
        save(pipeline, dir, false);
    }

    /**
     * As {@link #save(Pipeline, Path)}; with {@code overwrite}, a saved detector at {@code dir} is replaced (atomically:
     * the old one is removed once the new one is in place), while a folder holding anything else is still refused.
     */
    public void save(Pipeline pipeline, Path dir, boolean overwrite) {
        Map<String, Object> descriptor = describe(pipeline);
        DetectorStore.save(dir, descriptor, overwrite, model -> withLoader(pipeline.detector(), () -> {
            pipeline.detector().save(model);
            if (pipeline.embed() != null) {
                // detector.yaml is written after the model folders: record the copy's relative location
                descriptor.put("embed", pipeline.embed().save(model.getParent()));
            }
            return null;
        }));
        LOG.info("saved '{}' detector to {}", pipeline.detectorName(), dir);
    }

    /** The {@code detector.yaml} contents of a pipeline. */
    public Map<String, Object> describe(Pipeline p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", DetectorStore.FORMAT);
        m.put("formatVersion", p.embed() == null ? 1 : DetectorStore.FORMAT_VERSION);
        m.put("oddballVersion", Versions.ODDBALL);
        m.put("apiVersion", Api.VERSION);
        Map<String, Object> det = new LinkedHashMap<>();
        det.put("type", p.detectorName());
        det.put("version", p.detectorVersion());
        m.put("detector", det);
        Shape shape = p.detector().inputShape();
        m.put("inputShape", shape == null ? List.of() : toList(shape.dims()));
        m.put("hyperParameters", new LinkedHashMap<>(p.detector().hyperParameters()));
        m.put("preprocess", p.preprocessor().describe());
        if (p.embed() != null) {
            m.put("embed", new LinkedHashMap<>(p.embed().describe()));
        }
        m.put("scorer", p.scorerSpec().describe());
        Map<String, Object> th = new LinkedHashMap<>();
        th.put("value", p.threshold());
        th.put("strategy", p.thresholdSpec().describe());
        th.put("inferredOn", p.info().thresholdData());
        m.put("threshold", th);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("train", p.info().trainData());
        data.put("instances", p.info().trainInstances());
        data.put("fingerprint", p.info().fingerprint());
        m.put("data", data);
        m.put("created", p.info().created());
        return m;
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int v : a) {
            l.add(v);
        }
        return l;
    }

    /** Loads a saved detector, checking its format version, type and input shape. */
    public Pipeline load(Path dir, DetectorContext context) {
        Map<String, Object> d = DetectorStore.readDescriptor(dir);
        Path file = dir.resolve(DetectorStore.DESCRIPTOR);
        Map<String, Object> det = map(d, "detector", file);
        String type = String.valueOf(det.get("type"));
        DetectorProvider provider = detectors.get(type);
        if (provider == null) {
            String hint = missingDetectorHint(type);
            throw new ModelFormatException(file + " detector.type: expected a known detector type "
                    + plugins.names(Kind.DETECTOR) + ", found '" + type + "' ("
                    + (hint != null ? hint : "is its plugin installed?") + ")");
        }
        Map<String, Object> hp = map(d, "hyperParameters", file);
        List<Integer> shapeList = intList(d.get("inputShape"), file, "inputShape");
        int[] dims = shapeList.stream().mapToInt(Integer::intValue).toArray();
        Shape expected = Shape.of(dims);
        EmbedStage embed = d.containsKey("embed") ? loadEmbed(map(d, "embed", file), dir, file, context) : null;
        Detector detector;
        try {
            detector = withLoader(provider, () -> provider.load(dir.resolve(DetectorStore.MODEL_DIR), hp, context));
        } catch (RuntimeException e) {
            if (embed != null) {
                embed.close();
            }
            throw e;
        }
        try {
            if (embed != null && !embed.outputShape().equals(detector.inputShape())) {
                throw new ModelFormatException(file + " embed: expected embeddings of the detector's input shape "
                        + detector.inputShape() + ", found " + embed.outputShape());
            }
            if (detector.inputShape() == null || !expected.equals(detector.inputShape())) {
                throw new ModelFormatException(file + " inputShape: expected the model's shape "
                        + detector.inputShape() + ", found " + expected);
            }
            ComponentSpec scorerSpec = ComponentSpec.fromMap(map(d, "scorer", file));
            ScorerProvider sp = scorers.get(scorerSpec.type());
            if (sp == null) {
                throw new ModelFormatException(file + " scorer.type: expected one of " + scorers.keySet()
                        + ", found '" + scorerSpec.type() + "'");
            }
            Params scorerParams = Params.of(scorerSpec.params(), "scorer", null);
            Scorer scorer = sp.create(scorerParams);
            scorerParams.finish();
            Map<String, Object> th = map(d, "threshold", file);
            Object v = th.get("value");
            if (!(v instanceof Number n)) {
                throw new ModelFormatException(file + " threshold.value: expected a number, found " + v);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> strategy = th.get("strategy") instanceof Map<?, ?> sm ? (Map<String, Object>) sm
                    : Map.of("type", "fixed");
            Map<String, Object> data = d.get("data") instanceof Map<?, ?> dm ? castMap(dm) : Map.of();
            PipelineInfo info = new PipelineInfo(String.valueOf(data.get("train")),
                    data.get("instances") instanceof Number in ? in.longValue() : -1,
                    String.valueOf(data.get("fingerprint")), String.valueOf(d.get("created")),
                    th.get("inferredOn") == null ? null : String.valueOf(th.get("inferredOn")));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> pre = d.get("preprocess") instanceof List<?> l ? (List<Map<String, Object>>) l
                    : List.of();
            return new Pipeline(detector, String.valueOf(det.get("version")), Preprocessor.fromDescription(pre),
                    embed, scorer, scorerSpec, ComponentSpec.fromMap(strategy), n.doubleValue(), info);
        } catch (RuntimeException e) {
            detector.close();
            if (embed != null) {
                embed.close();
            }
            if (e instanceof ModelFormatException) {
                throw e;
            }
            throw new ModelFormatException(file + ": expected a consistent saved detector, found: " + e.getMessage(),
                    e);
        }
    }

    /** The {@code embed} block of a saved detector: its copy of the embedding model, paths relative to {@code dir}. */
    private EmbedStage loadEmbed(Map<String, Object> block, Path dir, Path file, DetectorContext context) {
        if (block.get("detector") instanceof String rel) {
            Path sub = dir.resolve(rel).normalize();
            if (!Files.isDirectory(sub)) {
                throw new ModelFormatException(file + " embed.detector: expected the embedding detector's copy "
                        + sub + ", found nothing");
            }
            Pipeline source = load(sub, context);
            try {
                return new EmbedStage(new EncoderEmbedder(source, sub), null, Map.of("detector", rel));
            } catch (IllegalArgumentException e) {
                source.close();
                throw new ModelFormatException(file + " embed.detector: expected a detector that can encode, found '"
                        + source.detectorName() + "'");
            }
        }
        Map<String, Object> params = new LinkedHashMap<>(block);
        Object type = params.remove("type");
        EmbedderProvider provider = embedders.get(String.valueOf(type));
        if (provider == null) {
            throw new ModelFormatException(file + " embed.type: expected a known embedder type "
                    + plugins.names(Kind.EMBEDDER) + " or 'detector', found " + type + " (is its plugin installed?)");
        }
        Params p = Params.of(params, "embed", null);
        try {
            Embedder e = withLoader(provider, () -> provider.create(p, dir, context));
            try {
                p.finish();
            } catch (ConfigException ce) {
                e.close();
                throw ce;
            }
            return new EmbedStage(e, provider.name(), block);
        } catch (ConfigException e) {
            throw new ModelFormatException(file + " " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static Map<String, Object> map(Map<String, Object> d, String key, Path file) {
        Object v = d.get(key);
        if (!(v instanceof Map<?, ?> m)) {
            throw new ModelFormatException(file + " " + key + ": expected a mapping, found " + v);
        }
        return castMap(m);
    }

    private static List<Integer> intList(Object v, Path file, String key) {
        if (!(v instanceof List<?> l)) {
            throw new ModelFormatException(file + " " + key + ": expected a list of integers, found " + v);
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Integer i) || i < 0) {
                throw new ModelFormatException(file + " " + key + ": expected a list of integers >= 0, found " + v);
            }
            out.add(i);
        }
        return out;
    }

    // ------------------------------------------------------------------ thresholds

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
        ThresholdStrategyProvider tp = thresholds.get(strategySpec.type());
        if (tp == null) {
            throw new ConfigException("threshold type: expected one of " + plugins.names(Kind.THRESHOLD)
                    + ", found '" + strategySpec.type() + "'");
        }
        Params p = Params.of(strategySpec.params(), "threshold", null);
        ThresholdStrategy strategy = tp.create(p);
        p.finish();
        Pipeline.LabelledScores ls;
        try (Progress progress = RuntimeContext.scoring(context, "infer-threshold", RuntimeContext.total(data))) {
            ls = pipeline.scoreAll(data, batchSize, context::stopRequested, progress);
        }
        if (strategy.needsLabels() && ls.labels() == null) {
            throw new ConfigException(data.name() + ": threshold '" + strategySpec.type()
                    + "' needs labels (1 = outlier), found none");
        }
        double t = strategy.threshold(ls.scores(), ls.labels());
        pipeline.setThreshold(t, strategySpec, pipeline.info().withThresholdData(inferredOn != null ? inferredOn
                : data.name()));
        return t;
    }

    /** Rewrites the threshold in a saved detector's {@code detector.yaml} (atomically), leaving the model as is. */
    public void saveThreshold(Pipeline pipeline, Path dir) {
        Map<String, Object> d = DetectorStore.readDescriptor(dir);
        Map<String, Object> th = new LinkedHashMap<>();
        th.put("value", pipeline.threshold());
        th.put("strategy", pipeline.thresholdSpec().describe());
        th.put("inferredOn", pipeline.info().thresholdData());
        Map<String, Object> out = new LinkedHashMap<>(d);
        out.put("threshold", th);
        DetectorStore.rewriteDescriptor(dir, out);
    }

    // ------------------------------------------------------------------ evaluation

    /**
     * Scores of normal data and of outliers with the metrics at the pipeline's threshold.
     *
     * @param metrics AUROC, AUPR, FPR at 95 % TPR, confusion matrix, F1, accuracy, precision, recall
     * @param inScores instance scores of the normal data
     * @param oodScores instance scores of the outliers
     */
    public record EvaluationResult(Evaluation metrics, float[] inScores, float[] oodScores,
            Map<String, Evaluation> alternatives) {
        public EvaluationResult {
            alternatives = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(alternatives));
        }

        /** A result without alternative scores. */
        public EvaluationResult(Evaluation metrics, float[] inScores, float[] oodScores) {
            this(metrics, inScores, oodScores, Map.of());
        }

        /** The metrics as a flat map with the keys of {@code evaluate --json}. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("auroc", metrics.auroc());
            m.put("aupr", metrics.aupr());
            m.put("fpr95", metrics.fpr95());
            m.put("f1", metrics.f1());
            m.put("accuracy", metrics.accuracy());
            m.put("precision", metrics.precision());
            m.put("recall", metrics.recall());
            m.put("threshold", metrics.threshold());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("tp", metrics.confusion().tp());
            c.put("fp", metrics.confusion().fp());
            c.put("tn", metrics.confusion().tn());
            c.put("fn", metrics.confusion().fn());
            m.put("confusion", c);
            m.put("inCount", inScores.length);
            m.put("oodCount", oodScores.length);
            if (!alternatives.isEmpty()) {
                Map<String, Object> alt = new LinkedHashMap<>();
                alternatives.forEach((name, e) -> {
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("auroc", e.auroc());
                    a.put("aupr", e.aupr());
                    a.put("fpr95", e.fpr95());
                    alt.put(name, a);
                });
                m.put("alternatives", alt);
            }
            return m;
        }
    }

    /**
     * Scores {@code in} (normal, label 0) and {@code ood} (outliers, label 1) with the pipeline, streamed in
     * batches, and computes the metrics at the pipeline's threshold ({@code score > threshold} = outlier). When the
     * detector offers {@link io.oddball.api.AlternativeScores} (the LLR detector's plain likelihood), their
     * threshold-free metrics are computed on the same batches.
     */
    public EvaluationResult evaluate(Pipeline pipeline, Dataset in, Dataset ood, int batchSize,
            DetectorContext context) {
        Map<String, List<float[]>> altIn = new LinkedHashMap<>();
        Map<String, List<float[]>> altOod = new LinkedHashMap<>();
        float[] a;
        float[] b;
        try (Progress progress = RuntimeContext.scoring(context, "evaluate", RuntimeContext.total(in, ood))) {
            a = scoreWithAlternatives(pipeline, in, batchSize, context, progress, altIn);
            b = scoreWithAlternatives(pipeline, ood, batchSize, context, progress, altOod);
        }
        Map<String, Evaluation> alternatives = new LinkedHashMap<>();
        for (String name : altIn.keySet()) {
            if (altOod.containsKey(name)) {
                float[] x = concat(altIn.get(name));
                float[] y = concat(altOod.get(name));
                alternatives.put(name, labelled(x, y, Double.POSITIVE_INFINITY));
            }
        }
        return new EvaluationResult(labelled(a, b, pipeline.threshold()), a, b, alternatives);
    }

    private static Evaluation labelled(float[] a, float[] b, double threshold) {
        float[] all = new float[a.length + b.length];
        int[] labels = new int[all.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        java.util.Arrays.fill(labels, a.length, all.length, 1);
        return Evaluation.of(all, labels, threshold);
    }

    private static float[] scoreWithAlternatives(Pipeline pipeline, Dataset data, int batchSize,
            DetectorContext context, Progress progress, Map<String, List<float[]>> alternatives) {
        if (!(pipeline.detector() instanceof io.oddball.api.AlternativeScores alt)) {
            return pipeline.scoreAll(data, batchSize, context::stopRequested, progress).scores();
        }
        List<float[]> parts = new ArrayList<>();
        pipeline.scoreStream(data, batchSize, context::stopRequested, progress, sb -> {
            parts.add(sb.instanceScores());
            io.oddball.api.data.Batch x = pipeline.prepare(sb.batch());
            Map<String, float[]> scores = withLoader(alt, () -> alt.alternativeScores(x));
            scores.forEach((name, v) ->
                    alternatives.computeIfAbsent(name, k -> new ArrayList<>()).add(v));
        });
        return concat(parts);
    }

    private static float[] concat(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static <T> T withLoader(Object plugin, Supplier<T> call) {
        return Pipeline.withLoader(plugin.getClass().getClassLoader(), call);
    }
}
