package io.oddball.runtime.pipeline;

import io.oddball.api.Detector;
import io.oddball.api.Progress;
import io.oddball.api.Scorer;
import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.result.OutlierType;
import io.oddball.api.result.Prediction;
import io.oddball.api.result.Scores;
import io.oddball.runtime.data.Shapes;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A fitted detector with everything needed to use it: the preprocessing, the optional embedding stage, the scorer that
 * turns feature scores into instance scores, and the threshold. This is where Alibi's {@code predict} and
 * {@code infer_threshold} live, written once for every detector. Thread-safe for scoring; the threshold may be changed by {@link #setThreshold}.
 */
public final class Pipeline implements AutoCloseable {
    private final Detector detector;
    private final String detectorVersion;
    private final Preprocessor preprocessor;
    private final EmbedStage embed;
    private final Scorer scorer;
    private final ComponentSpec scorerSpec;
    private volatile ComponentSpec thresholdSpec;
    private final ClassLoader pluginLoader;
    private volatile double threshold;
    private volatile PipelineInfo info;

    public Pipeline(Detector detector, String detectorVersion, Preprocessor preprocessor, Scorer scorer,
            ComponentSpec scorerSpec, ComponentSpec thresholdSpec, double threshold, PipelineInfo info) {
        this(detector, detectorVersion, preprocessor, null, scorer, scorerSpec, thresholdSpec, threshold, info);
    }

    /** A pipeline whose detector sees the embeddings of {@code embed} (null for none), which it then owns. */
    public Pipeline(Detector detector, String detectorVersion, Preprocessor preprocessor, EmbedStage embed,
            Scorer scorer, ComponentSpec scorerSpec, ComponentSpec thresholdSpec, double threshold, PipelineInfo info) {
        this.detector = Objects.requireNonNull(detector, "detector is null");
        this.detectorVersion = Objects.requireNonNull(detectorVersion, "detectorVersion is null");
        this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor is null");
        this.embed = embed;
        this.scorer = Objects.requireNonNull(scorer, "scorer is null");
        this.scorerSpec = Objects.requireNonNull(scorerSpec, "scorerSpec is null");
        this.thresholdSpec = Objects.requireNonNull(thresholdSpec, "thresholdSpec is null");
        this.threshold = threshold;
        this.info = Objects.requireNonNull(info, "info is null");
        this.pluginLoader = detector.getClass().getClassLoader();
    }

    public Detector detector() {
        return detector;
    }

    public String detectorName() {
        return detector.name();
    }

    public String detectorVersion() {
        return detectorVersion;
    }

    public Preprocessor preprocessor() {
        return preprocessor;
    }

    /** The embedding stage between preprocessing and detector, or null. */
    public EmbedStage embed() {
        return embed;
    }

    /** Shape of the raw instances the pipeline takes: the embedding stage's input, else the detector's. */
    public Shape inputShape() {
        return embed != null ? embed.inputShape() : detector.inputShape();
    }

    public ComponentSpec scorerSpec() {
        return scorerSpec;
    }

    public ComponentSpec thresholdSpec() {
        return thresholdSpec;
    }

    public double threshold() {
        return threshold;
    }

    /** Where the pipeline came from: training data fingerprint, creation time. */
    public PipelineInfo info() {
        return info;
    }

    /** Sets the threshold; {@code how} records the strategy used and {@code newInfo} the data it was inferred on. */
    public synchronized void setThreshold(double value, ComponentSpec how, PipelineInfo newInfo) {
        this.threshold = value;
        this.thresholdSpec = Objects.requireNonNull(how, "how is null");
        this.info = Objects.requireNonNull(newInfo, "newInfo is null");
    }

    /** Scores one raw batch (preprocessing applied here), instance scores derived by the scorer where needed. */
    public Scores score(Batch raw) {
        return score(raw, scorer);
    }

    private Scores score(Batch raw, Scorer s) {
        return scoreDetectorInput(prepare(raw), s);
    }

    /**
     * Scores a batch that is already through {@link #preprocessor()} (e.g. perturbed there as Alibi's
     * {@code apply_mask} does; the embedding stage, if any, is applied here), with {@code instanceScorer} (the
     * pipeline's scorer when null).
     */
    public Scores scorePreprocessed(Batch x, Scorer instanceScorer) {
        return scoreDetectorInput(embed == null ? x : embed.apply(x), instanceScorer == null ? scorer
                : instanceScorer);
    }

    private Scores scoreDetectorInput(Batch x, Scorer s) {
        Scores sc = withLoader(() -> detector.score(x));
        if (!sc.hasInstanceScores() || (s != scorer && sc.hasFeatureScores())) {
            int f = (int) sc.featureShape().size();
            sc = sc.withInstanceScores(s.instanceScores(sc.featureScores(), sc.size(), f));
        }
        return sc;
    }

    /**
     * A raw batch as the detector sees it: checked (shape, finite values; {@code HxW} is read as {@code HxWx1} and the
     * other way round), preprocessed and embedded.
     *
     * @throws DataException if the instances have another shape or a NaN/infinite value
     */
    public Batch prepare(Batch raw) {
        Shape expected = inputShape();
        if (expected != null && !expected.equals(raw.instanceShape())) {
            if (!Shapes.sameLayout(raw.instanceShape(), expected)) {
                throw new DataException("input: expected " + Shapes.describe(expected) + " (the detector's input), "
                        + "found " + Shapes.mismatch(raw.instanceShape(), expected, false));
            }
            raw = Shapes.reshape(raw, expected);
        }
        checkFinite(raw);
        Batch x = preprocessor.apply(raw);
        return embed == null ? x : embed.apply(x);
    }

    /** Rejects NaN and infinite values, naming the instance. */
    static void checkFinite(Batch b) {
        int i = firstNonFinite(b);
        if (i >= 0) {
            int f = Math.max(1, b.featuresPerInstance());
            throw new DataException("input instance " + (i / f) + " (of this batch), value " + (i % f)
                    + ": expected a finite number, found " + b.data().get(i));
        }
    }

    /** Position (row-major, over all values) of the first NaN or infinite value of {@code b}, or -1. */
    static int firstNonFinite(Batch b) {
        java.nio.FloatBuffer d = b.data();
        for (int i = 0; i < d.limit(); i++) {
            if (!Float.isFinite(d.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Alibi's {@code predict}: flags each instance ({@link OutlierType#INSTANCE}) or each feature
     * ({@link OutlierType#FEATURE}) whose score exceeds the threshold, using {@code outlierPerc} for instance scores
     * of detectors with feature scores.
     */
    public Prediction predict(Batch raw, OutlierType type, Scorer instanceScorer, boolean returnFeatureScore,
            boolean returnInstanceScore) {
        Scores sc = score(raw, instanceScorer == null ? scorer : instanceScorer);
        double t = threshold;
        boolean[] flags;
        if (type == OutlierType.FEATURE) {
            if (!sc.hasFeatureScores()) {
                throw new DataException("predict: expected a detector with feature scores for outlier type FEATURE, "
                        + "found '" + detector.name() + "' (instance scores only)");
            }
            float[] fs = sc.featureScores();
            flags = new boolean[fs.length];
            for (int i = 0; i < fs.length; i++) {
                flags[i] = fs[i] > t;
            }
        } else {
            float[] is = sc.instanceScores();
            flags = new boolean[is.length];
            for (int i = 0; i < is.length; i++) {
                flags[i] = is[i] > t;
            }
        }
        return new Prediction(detector.name(), detectorVersion, t, type, flags,
                returnInstanceScore ? sc.instanceScores() : null,
                returnFeatureScore && sc.hasFeatureScores() ? sc.featureScores() : null);
    }

    /**
     * Streams {@code data} through the pipeline, handing each batch's instance scores (in order) to {@code sink}.
     * Memory is bounded by {@code batchSize}. Returns the number of instances scored.
     */
    public long scoreStream(Dataset data, int batchSize, java.util.function.BooleanSupplier stop,
            Consumer<ScoredBatch> sink) {
        return scoreStream(data, batchSize, stop, Progress.NONE, sink);
    }

    /**
     * As {@link #scoreStream(Dataset, int, java.util.function.BooleanSupplier, Consumer)}, stepping {@code progress}
     * by each batch's instances once they are scored (the caller opens and closes it).
     */
    public long scoreStream(Dataset data, int batchSize, java.util.function.BooleanSupplier stop, Progress progress,
            Consumer<ScoredBatch> sink) {
        long n = 0;
        try (BatchIterator it = data.batches(batchSize)) {
            while (it.hasNext()) {
                if (stop.getAsBoolean()) {
                    throw new io.oddball.api.error.OddballException("stopped by the user after " + n + " instances");
                }
                Batch b = it.next();
                Scores s = score(b);
                sink.accept(new ScoredBatch(n, b, s.instanceScores()));
                n += b.size();
                progress.step(b.size());
            }
        }
        if (n == 0) {
            throw new DataException(data.name() + ": expected at least one instance, found none");
        }
        return n;
    }

    /** All instance scores of {@code data} (N floats; the data itself is streamed), and labels if it has any. */
    public LabelledScores scoreAll(Dataset data, int batchSize, java.util.function.BooleanSupplier stop) {
        return scoreAll(data, batchSize, stop, Progress.NONE);
    }

    /** As {@link #scoreAll(Dataset, int, java.util.function.BooleanSupplier)}, stepping {@code progress}. */
    public LabelledScores scoreAll(Dataset data, int batchSize, java.util.function.BooleanSupplier stop,
            Progress progress) {
        ScoresBuffer all = new ScoresBuffer(data.hasLabels());
        scoreStream(data, batchSize, stop, progress, sb -> all.add(sb.instanceScores(), sb.batch()));
        return all.toScores();
    }

    /** Runs {@code call} with the detector's plugin class loader as the thread's context loader. */
    <T> T withLoader(java.util.function.Supplier<T> call) {
        return withLoader(pluginLoader, call);
    }

    /**
     * Runs {@code call} with {@code loader} (a plugin's class loader) as the thread's context loader. A plugin's class
     * that cannot be linked (a dependency left out of its jar: {@code NoClassDefFoundError}) is a
     * {@link io.oddball.api.error.PluginException} naming the jar, not an error of Oddball's.
     */
    public static <T> T withLoader(ClassLoader loader, java.util.function.Supplier<T> call) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return call.get();
        } catch (LinkageError e) {
            if (loader instanceof io.oddball.runtime.plugin.PluginClassLoader plugin) {
                throw new io.oddball.api.error.PluginException(plugin.jar() + ": the plugin failed: " + e
                        + " (a class it needs is missing from its jar or of another version)", e);
            }
            throw e;
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() {
        try {
            detector.close();
        } finally {
            if (embed != null) {
                embed.close();
            }
        }
    }

    /** One scored batch of a stream: where it starts, the raw batch and its instance scores. */
    public record ScoredBatch(long offset, Batch batch, float[] instanceScores) {
    }

    /** Instance scores of a whole dataset with its labels (null when unlabelled). */
    public record LabelledScores(float[] scores, int[] labels) {
    }

    /** Instance scores, and their labels when the data has them, gathered batch by batch in growing arrays. */
    static final class ScoresBuffer {
        private float[] scores = new float[1024];
        private int[] labels;
        private int n;

        ScoresBuffer(boolean labelled) {
            labels = labelled ? new int[scores.length] : null;
        }

        /** Appends the scores of {@code batch} and, if labelled, its labels (one per score). */
        void add(float[] batchScores, Batch batch) {
            if (n + batchScores.length > scores.length) {
                int capacity = Math.max(scores.length * 2, n + batchScores.length);
                scores = Arrays.copyOf(scores, capacity);
                labels = labels == null ? null : Arrays.copyOf(labels, capacity);
            }
            System.arraycopy(batchScores, 0, scores, n, batchScores.length);
            if (labels != null) {
                System.arraycopy(batch.labels(), 0, labels, n, batchScores.length);
            }
            n += batchScores.length;
        }

        LabelledScores toScores() {
            return new LabelledScores(Arrays.copyOf(scores, n), labels == null ? null : Arrays.copyOf(labels, n));
        }
    }
}
