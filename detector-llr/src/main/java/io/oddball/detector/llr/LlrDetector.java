package io.oddball.detector.llr;

import static java.util.Objects.requireNonNull;

import io.oddball.api.AlternativeScores;
import io.oddball.api.DetectorContext;
import io.oddball.api.FeatureMaps;
import io.oddball.api.FitOptions;
import io.oddball.api.Progress;
import io.oddball.api.Sampler;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.error.OddballException;
import io.oddball.api.result.Scores;
import io.oddball.detector.llr.pixelcnn.DiscretizedLogistic;
import io.oddball.detector.llr.pixelcnn.PixelCnn;
import io.oddball.tf.StatefulDetector;
import io.oddball.tf.TfOptions;
import io.oddball.tf.io.FileTrees;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.layers.Weights;
import io.oddball.tf.train.TrainingHistory;
import io.oddball.tf.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The likelihood-ratio detector of Ren et al. 2019 (Alibi Detect's {@code LLR}): a semantic PixelCNN++ trained on the
 * data and a background PixelCNN++ trained on mutated copies of it (each value replaced with probability
 * {@code mutationRate} by a different, uniformly drawn 8-bit value; optional L2 weight on the background model). The
 * feature score of each value is {@code −(log p_s − log p_b)}. The instance score is one of {@link LlrScores} on the
 * same two models ({@code score}): by default {@value LlrScores#COMBINED}, the largest standardised −LLR,
 * complexity-corrected likelihood and typicality, which holds on out-of-distribution sets nobody tuned for; also
 * {@code −LLR(x)} (the sum of the feature scores, Alibi's score), plain likelihood, Serrà's S and typicality. The others
 * are offered as {@link AlternativeScores}; the per-value log-probabilities and their difference as
 * {@link FeatureMaps}, and images drawn from either model through {@link Sampler}. After training, a fit scores the
 * training images it held out for validation (or up to {@value LlrScores#CALIBRATION_IMAGES} training images without
 * a split) for the statistics the typicality and combined scores are relative to ({@link LlrScores.Calibration}).
 *
 * <p>Inputs are 8-bit images ({@code H×W} or {@code H×W×C}, values 0–255, no {@code scale} preprocessing). Fit
 * rejects other values; scoring rounds to the nearest integer and clips to 0–255, so any image can be scored.
 *
 * <p>Training runs both models in the same step on the same batches, from the same initial weights and with the same
 * dropout masks, so much of their optimisation noise is shared and cancels in the ratio; the scored and saved weights
 * are an exponential moving average of the trained ones ({@code emaDecay}), and the learning rate follows a cosine
 * decay to 0 over the run. With a checkpoint folder in the context, every epoch is checkpointed and a fit can
 * continue after an interruption ({@link LlrCheckpoint}).
 *
 * <p>Thread-safe after fit: {@link #score} may run on many threads; {@link #close} waits for running scores.
 */
public final class LlrDetector extends StatefulDetector<LlrDetector.Fitted>
        implements AlternativeScores, FeatureMaps, Sampler {
    /** Name of the plain-likelihood score. */
    public static final String LIKELIHOOD = LlrScores.LIKELIHOOD;
    /** Feature map: log-probability (nats) of each value under the semantic model. */
    public static final String LOG_PROB_SEMANTIC = "log_prob_semantic";
    /** Feature map: log-probability (nats) of each value under the background model. */
    public static final String LOG_PROB_BACKGROUND = "log_prob_background";
    /** Feature map: the likelihood ratio of each value, {@code log p_s − log p_b} (the negated feature score). */
    public static final String LLR = "llr";
    /** Sample model: the semantic PixelCNN++. */
    public static final String SEMANTIC = "semantic";
    /** Sample model: the background PixelCNN++. */
    public static final String BACKGROUND = "background";
    private static final Logger LOG = LoggerFactory.getLogger(LlrDetector.class);

    private final LlrConfig config;
    private final DetectorContext context;
    private final TfOptions tfOptions;
    /** One batch per scoring thread: see {@link #alternativeScores}. */
    private final ThreadLocal<Last> last = new ThreadLocal<>();

    /**
     * The fitted state.
     *
     * @param net the network of both models
     * @param model the inference graph
     * @param history what training did; null when loaded
     * @param weights the scoring weights of both models (what {@code model} runs on)
     * @param calibration statistics of held-out training images, or null (loaded from a format-1 save, a snapshot)
     */
    record Fitted(PixelCnn net, InferenceModel model, TrainingHistory history, Weights weights,
            LlrScores.Calibration calibration) {
    }

    /** A new detector: scores with {@value LlrScores#COMBINED} unless {@code config} names a score. */
    LlrDetector(LlrConfig config, DetectorContext context) {
        this(config.score() == null ? config.withScore(LlrScores.COMBINED) : config, null, context);
    }

    LlrDetector(LlrConfig config, Fitted fitted, DetectorContext context) {
        super(LlrDetectorProvider.NAME, fitted, f -> f.model().close());
        this.config = requireNonNull(config, "config is null");
        requireNonNull(config.score(), "config.score is null");
        this.context = requireNonNull(context, "context is null");
        this.tfOptions = TfOptions.of(context);
    }

    @Override
    protected Shape inputShape(Fitted f) {
        return f.net().instance();
    }

    @Override
    public boolean hasFeatureScores() {
        return true;
    }

    @Override
    public Map<String, Object> hyperParameters() {
        return config.toMap();
    }

    /** The configuration. */
    public LlrConfig config() {
        return config;
    }

    /** What training did, or null when loaded or not fitted. */
    public TrainingHistory history() {
        Fitted f = state.peek();
        return f == null ? null : f.history();
    }

    /** Parameters of both models together. */
    public long parameterCount() {
        return state.read(f -> 2 * f.net().parameterCount());
    }

    /**
     * A detector with this one's configuration, instance shape and context that scores with the weights of one epoch
     * of a fit instead of its own: {@code file}, an {@code epoch-NNN.npy} that a fit with
     * {@link LlrConfig#snapshotDir()} wrote. For studying how the ratio evolves over training (bench/llr.sh); the
     * caller closes it.
     *
     * @throws io.oddball.api.error.ModelFormatException if the file does not hold this detector's weights
     */
    public LlrDetector withSnapshot(Path file) {
        requireNonNull(file, "file is null");
        return state.read(f -> {
            Weights w = LlrSnapshots.read(file, f.net());
            // other weights: the calibration does not hold for them, so the snapshot scores −LLR
            return new LlrDetector(config.withScore(LlrScores.LLR), new Fitted(f.net(), LlrGraphs.inference(f.net(),
                    w, context, tfOptions), null, w, null), context);
        });
    }

    @Override
    public void fit(Dataset data, FitOptions options) {
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        state.fit(() -> {
            Batch all = data.readAll();
            String where = "llr: " + data.name();
            if (all.size() == 0) {
                throw new DataException(where + ": expected at least 1 instance, found none");
            }
            PixelCnn net = network(all.instanceShape(), where);
            float[] x = all.toArray();
            checkPixels(x, all.featuresPerInstance(), where);
            Fitted f = train(net, x, options);
            try {
                return new Fitted(f.net(), f.model(), f.history(), f.weights(), calibrate(f, x, options));
            } catch (RuntimeException | Error e) {
                f.model().close();
                throw e;
            }
        });
    }

    /**
     * The statistics of the training images the fit held out for validation, or of up to
     * {@value LlrScores#CALIBRATION_IMAGES} training images spread over the set without a split.
     */
    private LlrScores.Calibration calibrate(Fitted f, float[] x, FitOptions options) {
        int per = (int) f.net().instance().size();
        int n = x.length / per;
        int[] rows = TrainingLoop.validationRows(n, options);
        boolean heldOut = rows.length >= 2;
        if (!heldOut) {
            int m = Math.min(n, LlrScores.CALIBRATION_IMAGES);
            rows = new int[m];
            for (int i = 0; i < m; i++) {
                rows[i] = (int) ((long) i * n / m);
            }
        } else if (rows.length > LlrScores.CALIBRATION_IMAGES) {
            rows = java.util.Arrays.copyOf(rows, LlrScores.CALIBRATION_IMAGES);
        }
        if (rows.length < 2) {
            return withoutStatistics("expected at least 2 training images for the score statistics, found "
                    + rows.length);
        }
        float[] held = new float[rows.length * per];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * per, held, i * per, per);
        }
        LlrScores.Calibration c;
        try (Progress progress = context.progress("llr: score statistics of " + rows.length + " "
                + (heldOut ? "held-out" : "training") + " images", 1,
                "runs")) {
            c = statistics(f, held, rows.length);
            progress.step(1);
        } catch (DataException e) {
            return withoutStatistics(e.getMessage().substring("llr: ".length()));
        }
        LOG.info("llr: score statistics of {} images: -log p(x) {} +- {} nats", c.images(),
                String.format(java.util.Locale.ROOT, "%.1f", c.nllMean()),
                String.format(java.util.Locale.ROOT, "%.1f", c.nllSd()));
        return c;
    }

    private PixelCnn network(Shape instance, String where) {
        try {
            return new PixelCnn(config.model(), instance);
        } catch (IllegalArgumentException e) {
            throw new DataException(where + ": " + e.getMessage(), e);
        } catch (io.oddball.api.error.ConfigException e) {
            // too many hierarchies for these images: the detector block's fault, a configuration error
            throw new io.oddball.api.error.ConfigException("detector." + e.getMessage().substring("pixelcnn: "
                    .length()) + " (" + where + ")", e);
        }
    }

    private Fitted train(PixelCnn net, float[] x, FitOptions options) {
        LlrCheckpoint checkpoint = LlrCheckpoint.of(context.checkpointDir(), config, options, x);
        LlrCheckpoint.State resumed = context.resume() && checkpoint != null ? checkpoint.find() : null;
        Weights start = LlrGraphs.initial(net, options.seed());
        int joint = config.backgroundEpochs(options.epochs());
        LOG.info("llr: two PixelCNN++ models of {} parameters each, {} instances of {}, {} epochs{}{}",
                net.parameterCount(), x.length / net.instance().size(), net.instance(), options.epochs(),
                joint < options.epochs() ? " (the background model the first " + joint + ")" : "",
                resumed == null ? "" : ", continuing after epoch " + resumed.resume().epochs());
        TrainingLoop.Resume at = resumed == null ? null : resumed.resume();
        Path from = resumed == null ? null : resumed.prefix();
        TrainingLoop.Resume[] last = {at};
        TrainingHistory history = null;
        Weights scoring = null;
        Path handOver = null;
        try {
            if (at == null || at.epochs() < joint) {
                // both models, for all epochs or (backgroundEpochs) the first ones only
                FitOptions phase = new FitOptions(joint, options.batchSize(), options.learningRate(), options.seed(),
                        options.validationSplit(), options.earlyStoppingPatience());
                try (LlrGraphs.Training t = LlrGraphs.training(config, net, start, options.seed(), context, tfOptions,
                        false)) {
                    if (from != null) {
                        t.training().session().restore(from.toString());
                    }
                    history = TrainingLoop.run(t.training(), x, net.instance(), phase, context,
                            joint < options.epochs() ? "llr fit (both models)" : "llr fit",
                            callbacks(t, net, checkpoint, joint, options.epochs(), last), at);
                    if (joint < options.epochs() && history.outcome() == TrainingHistory.Outcome.COMPLETED) {
                        handOver = Files.createTempDirectory("oddball-llr-");
                        from = handOver.resolve("variables");
                        t.training().session().save(from.toString());
                    } else {
                        scoring = t.scoringWeights();
                    }
                }
            }
            if (scoring == null) {
                // the background model's averaged weights are kept from here on; the semantic model trains alone
                try (LlrGraphs.Training t = LlrGraphs.training(config, net, start, options.seed(), context, tfOptions,
                        true)) {
                    t.training().session().restore(from.toString());
                    history = TrainingLoop.run(t.training(), x, net.instance(), options, context,
                            "llr fit (semantic model)", callbacks(t, net, checkpoint, options.epochs(), options.epochs(),
                                    last), last[0]);
                    scoring = t.scoringWeights();
                }
            }
        } catch (IOException e) {
            throw new OddballException("llr: cannot write the hand-over checkpoint: " + e.getMessage(), e);
        } finally {
            if (handOver != null) {
                try {
                    FileTrees.delete(handOver);
                } catch (IOException e) {
                    LOG.warn("llr: cannot delete {}: {}", handOver, e.getMessage());
                }
            }
        }
        InferenceModel model = LlrGraphs.inference(net, scoring, context, tfOptions);
        if (checkpoint != null && history.outcome() != TrainingHistory.Outcome.STOP_REQUESTED) {
            checkpoint.delete();
        } else if (checkpoint != null) {
            LOG.info("llr: stopped after {} of {} epochs; 'oddball fit ... --resume' continues from the checkpoint "
                    + "in {}", history.epochs(), options.epochs(), context.checkpointDir());
        }
        return new Fitted(net, model, history, scoring, null);
    }

    /**
     * The learning-rate schedule over the whole fit ({@code epochs}; a run of {@code runEpochs} of them sees
     * {@code totalSteps} for its own epochs only), a checkpoint after every epoch, and the weights of every epoch when
     * the configuration asks for them ({@link LlrConfig#snapshotDir()}); {@code last[0]} is set to the state after
     * each epoch.
     */
    private TrainingLoop.Callbacks callbacks(LlrGraphs.Training t, PixelCnn net, LlrCheckpoint checkpoint,
            int runEpochs, int epochs, TrainingLoop.Resume[] last) {
        return new TrainingLoop.Callbacks() {
            @Override
            public double learningRate(double base, long step, long totalSteps) {
                long total = totalSteps / runEpochs * epochs;
                if (!config.lrSchedule().equals("cosine") || total == 0) {
                    return base;
                }
                return base * 0.5 * (1 + Math.cos(Math.PI * Math.min(step, total) / total));
            }

            @Override
            public void epochEnd(TrainingLoop.Resume state) {
                last[0] = state;
                if (checkpoint != null) {
                    checkpoint.save(t, state);
                }
                if (config.snapshotDir() != null) {
                    LlrSnapshots.write(config.snapshotDir(), state.epochs(), net, t.scoringWeights());
                }
            }
        };
    }

    private static void checkPixels(float[] x, int features, String where) {
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
                throw new DataException(where + ": instance " + (i / features) + ", feature " + (i % features)
                        + ": expected an 8-bit pixel value (an integer 0-255, no scale preprocessing), found " + v);
            }
        }
    }

    /** The instance score this detector gives ({@link LlrScores#NAMES}). */
    @Override
    public String scoreName() {
        return config.score();
    }

    /**
     * Feature scores {@code −(log p_s − log p_b)} per value; instance scores as {@link #scoreName()} says. A score
     * relative to the typical set needs the statistics a fit computes (a detector loaded from a format-1 save has
     * none and was refused at load).
     */
    @Override
    public Scores score(Batch batch) {
        requireNonNull(batch, "batch is null");
        float[][] out = runAll(batch, LlrGraphs.FEATURE_SCORES, LlrGraphs.LOG_PROB_SEMANTIC);
        float[] fs = out[0];
        if (batch.size() == 0) {
            return Scores.ofFeatures(0, batch.instanceShape(), fs, new float[0]);
        }
        String name = config.score();
        LlrScores.Parts parts = parts(fs, out[1], out[2], batch.size(), batch.instanceShape(),
                LlrScores.needsPng(name));
        // the parts come out of the same run: kept for an alternativeScores call on this batch next
        last.set(new Last(out[2], parts));
        return Scores.ofFeatures(batch.size(), batch.instanceShape(), fs, LlrScores.scores(name, parts,
                calibration()));
    }

    /**
     * Every other score of {@link LlrScores} of {@code batch} (those relative to the typical set only when this
     * detector has its statistics), named as there. Right after {@link #score} of the same values on the same thread
     * (as evaluation and reports call them) they are taken from that run instead of running the models again.
     */
    @Override
    public Map<String, float[]> alternativeScores(Batch batch) {
        requireNonNull(batch, "batch is null");
        Last previous = last.get();
        last.remove();
        float[] x = batch.size() == 0 ? new float[0] : rounded(batch);
        LlrScores.Parts parts;
        if (previous != null && java.util.Arrays.equals(previous.input(), x)) {
            parts = previous.parts();
        } else {
            float[][] out = runAll(batch, LlrGraphs.FEATURE_SCORES, LlrGraphs.LOG_PROB_SEMANTIC);
            parts = parts(out[0], out[1], out[2], batch.size(), batch.instanceShape(), false);
        }
        if (parts.pngBits() == null) {
            parts = new LlrScores.Parts(parts.logPs(), parts.negLlr(), LlrScores.pngBits(x, batch.size(),
                    PixelCnn.image(batch.instanceShape())), parts.dims());
        }
        LlrScores.Calibration c = calibration();
        Map<String, float[]> m = new LinkedHashMap<>();
        for (String name : LlrScores.NAMES) {
            if (!name.equals(config.score()) && (c != null || !LlrScores.CALIBRATED.contains(name))) {
                m.put(name, LlrScores.scores(name, parts, c));
            }
        }
        return m;
    }

    /**
     * No statistics (a fit on a single image, or on images all alike): refused when the score needs them, else said
     * once in the log.
     */
    private LlrScores.Calibration withoutStatistics(String why) {
        if (LlrScores.CALIBRATED.contains(config.score())) {
            throw new DataException("llr: score '" + config.score() + "': " + why + "; fit on more (and varied) "
                    + "images, or set score to " + LlrScores.LLR + ", " + LlrScores.LIKELIHOOD + " or "
                    + LlrScores.COMPLEXITY);
        }
        LOG.warn("llr: no score statistics ({}): the {} and {} scores are not available", why,
                LlrScores.TYPICALITY, LlrScores.COMBINED);
        return null;
    }

    /**
     * The statistics that the typicality and combined scores are relative to, of {@code images} (8-bit images of the
     * training distribution that the models did not train on, at least 2) under this detector's models — what a fit
     * computes on the images it held out; for adding them to a detector saved without them (bench/llr.sh).
     *
     * @throws DataException if the images do not give usable statistics (e.g. all alike)
     */
    public LlrScores.Calibration statistics(Batch images) {
        requireNonNull(images, "images is null");
        if (images.size() < 2) {
            throw new DataException("llr: expected at least 2 images for the score statistics, found "
                    + images.size());
        }
        float[] x = rounded(images);
        return state.read(f -> statistics(f, x, images.size()));
    }

    private LlrScores.Calibration statistics(Fitted f, float[] x, int n) {
        float[][] out = f.model().run(x, n, config.inferenceBatchSize(), LlrGraphs.FEATURE_SCORES,
                LlrGraphs.LOG_PROB_SEMANTIC);
        LlrScores.Calibration c = LlrScores.Calibration.of(parts(out[0], out[1], x, n, f.net().instance(), true));
        if (!c.valid()) {
            throw new DataException("llr: the score statistics of " + n + " images are not usable (" + c
                    + "): expected images that differ in likelihood");
        }
        return c;
    }

    /** The statistics the typicality and combined scores are relative to, or null when this detector has none. */
    public LlrScores.Calibration calibration() {
        return state.read(Fitted::calibration);
    }

    /**
     * The parts of the scores of {@code n} images: per-value {@code fs} (−LLR) and {@code lps} (log p_s) summed per
     * image, and their PNG code lengths when {@code png}.
     */
    private static LlrScores.Parts parts(float[] fs, float[] lps, float[] x, int n, Shape instance, boolean png) {
        int f = n == 0 ? 0 : fs.length / n;
        float[] logPs = new float[n];
        float[] negLlr = new float[n];
        for (int i = 0; i < n; i++) {
            double a = 0;
            double b = 0;
            for (int j = 0; j < f; j++) {
                a += lps[i * f + j];
                b += fs[i * f + j];
            }
            logPs[i] = (float) a;
            negLlr[i] = (float) b;
        }
        return new LlrScores.Parts(logPs, negLlr, png ? LlrScores.pngBits(x, n, PixelCnn.image(instance)) : null, f);
    }

    /** The parts of the scores of the last batch scored on a thread, and that batch's (rounded) values. */
    private record Last(float[] input, LlrScores.Parts parts) {
    }

    /** Log-probability (nats) of every value of a batch under the semantic or the background model, batch shape. */
    public float[] logProb(Batch batch, boolean semantic) {
        requireNonNull(batch, "batch is null");
        return run(batch, semantic ? LlrGraphs.LOG_PROB_SEMANTIC : LlrGraphs.LOG_PROB_BACKGROUND);
    }

    /**
     * {@value #LOG_PROB_SEMANTIC}, {@value #LOG_PROB_BACKGROUND} and {@value #LLR} ({@code log p_s − log p_b}) of every
     * value of {@code batch}, in nats, batch layout.
     */
    @Override
    public Map<String, float[]> featureMaps(Batch batch) {
        float[] s = logProb(batch, true);
        float[] b = logProb(batch, false);
        float[] llr = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            llr[i] = s[i] - b[i];
        }
        Map<String, float[]> m = new LinkedHashMap<>();
        m.put(LOG_PROB_SEMANTIC, s);
        m.put(LOG_PROB_BACKGROUND, b);
        m.put(LLR, llr);
        return m;
    }

    /** {@value #SEMANTIC} and {@value #BACKGROUND}. */
    @Override
    public List<String> sampleModels() {
        return List.of(SEMANTIC, BACKGROUND);
    }

    /**
     * {@code n} images from the {@value #SEMANTIC} or the {@value #BACKGROUND} model, as
     * {@link #sample(int, boolean, long)}.
     */
    @Override
    public float[] sample(String model, int n, long seed) {
        requireNonNull(model, "model is null");
        if (!sampleModels().contains(model)) {
            throw new IllegalArgumentException("llr: sample: expected model " + String.join(" or ", sampleModels())
                    + ", found '" + model + "'");
        }
        return sample(n, model.equals(SEMANTIC), seed);
    }

    /**
     * {@code n} images drawn from the semantic or the background model, pixel by pixel in raster order (one model run
     * per pixel, shown as progress through the context), 8-bit values, {@code n × H × W × C} row-major.
     */
    public float[] sample(int n, boolean semantic, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("llr: sample: expected n >= 1, found " + n);
        }
        return state.read(f -> {
            Shape image = f.net().instance();
            int h = image.dim(0);
            int w = image.dim(1);
            int c = image.dim(2);
            int mix = f.net().spec().numLogisticMix();
            int per = f.net().outputChannels();
            float[] canvas = new float[n * h * w * c];
            SplittableRandom random = new SplittableRandom(seed);
            String output = semantic ? LlrGraphs.PARAMS_SEMANTIC : LlrGraphs.PARAMS_BACKGROUND;
            try (Progress progress = context.progress("llr sample (" + (semantic ? SEMANTIC : BACKGROUND) + ", " + n
                    + " images)", h * w, "pixels")) {
                for (int pixel = 0; pixel < h * w; pixel++) {
                    if (context.stopRequested()) {
                        throw new IllegalStateException("llr: sampling stopped at pixel " + pixel);
                    }
                    float[] params = f.model().run(canvas, n, config.inferenceBatchSize(), output)[0];
                    for (int i = 0; i < n; i++) {
                        for (int ch = 0; ch < c; ch++) {
                            int at = (i * h * w + pixel) * per + ch * 3 * mix;
                            canvas[(i * h * w + pixel) * c + ch] = DiscretizedLogistic.sample(params, at, mix,
                                    random);
                        }
                    }
                    progress.step(1);
                }
            }
            return canvas;
        });
    }

    private float[] run(Batch batch, String output) {
        return runAll(batch, output)[0];
    }

    /**
     * The {@code outputs} of a batch (its values rounded and clipped to 8 bits), and those values as the last
     * element.
     */
    private float[][] runAll(Batch batch, String... outputs) {
        return state.read(f -> {
            if (batch.instanceShape().size() != f.net().instance().size()
                    || !PixelCnn.image(batch.instanceShape()).equals(f.net().instance())) {
                throw new DataException("llr: expected instance shape " + f.net().instance() + ", found "
                        + batch.instanceShape());
            }
            float[][] out = new float[outputs.length + 1][];
            if (batch.size() == 0) {
                java.util.Arrays.fill(out, new float[0]);
                return out;
            }
            float[] x = rounded(batch);
            System.arraycopy(f.model().run(x, batch.size(), config.inferenceBatchSize(), outputs), 0, out, 0,
                    outputs.length);
            out[outputs.length] = x;
            return out;
        });
    }

    /** The values of a batch rounded and clipped to 0–255, as the models read them; NaN is refused. */
    private static float[] rounded(Batch batch) {
        float[] x = batch.toArray();
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            if (Float.isNaN(v)) {
                throw new DataException("llr: scored batch: instance " + (i / batch.featuresPerInstance())
                        + ", feature " + (i % batch.featuresPerInstance()) + ": expected a finite value, found NaN");
            }
            x[i] = (float) Math.max(0, Math.min(255, Math.rint(v)));
        }
        return x;
    }
    @Override
    protected void write(Path modelDir, Fitted f) {
        LlrModelFiles.write(modelDir, f);
    }
}
