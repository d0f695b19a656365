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
 * feature score of each value is {@code −(log p_s − log p_b)}, the instance score their sum, {@code −LLR(x)}: higher
 * is more outlying. Plain likelihood ({@code −log p_s(x)}) is offered beside it as the alternative score
 * {@value #LIKELIHOOD}; the per-value log-probabilities and their difference as {@link FeatureMaps}, and images drawn
 * from either model through {@link Sampler}.
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
    /** Name of the plain-likelihood alternative score. */
    public static final String LIKELIHOOD = "likelihood";
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
    private final ThreadLocal<Likelihood> lastLikelihood = new ThreadLocal<>();

    /**
     * The fitted state.
     *
     * @param net the network of both models
     * @param model the inference graph
     * @param history what training did; null when loaded
     * @param weights the scoring weights of both models (what {@code model} runs on)
     */
    record Fitted(PixelCnn net, InferenceModel model, TrainingHistory history, Weights weights) {
    }

    LlrDetector(LlrConfig config, DetectorContext context) {
        this(config, null, context);
    }

    LlrDetector(LlrConfig config, Fitted fitted, DetectorContext context) {
        super(LlrDetectorProvider.NAME, fitted, f -> f.model().close());
        this.config = requireNonNull(config, "config is null");
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
            return new LlrDetector(config, new Fitted(f.net(), LlrGraphs.inference(f.net(), w, context, tfOptions),
                    null, w), context);
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
            return train(net, x, options);
        });
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
        return new Fitted(net, model, history, scoring);
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

    @Override
    public Scores score(Batch batch) {
        requireNonNull(batch, "batch is null");
        float[][] out = runAll(batch, LlrGraphs.FEATURE_SCORES, LlrGraphs.LOG_PROB_SEMANTIC);
        float[] fs = out[0];
        if (batch.size() > 0) {
            // the likelihood comes out of the same run: kept for an alternativeScores call on this batch next
            lastLikelihood.set(new Likelihood(out[2], sums(out[1], batch, true)));
        }
        return Scores.ofFeatures(batch.size(), batch.instanceShape(), fs, sums(fs, batch, false));
    }

    /**
     * {@value #LIKELIHOOD}: {@code −log p_s(x)} in nats, the semantic model's plain likelihood score. Right after
     * {@link #score} of the same values on the same thread (as evaluation and reports call them) it is taken from
     * that run instead of running the models again.
     */
    @Override
    public Map<String, float[]> alternativeScores(Batch batch) {
        requireNonNull(batch, "batch is null");
        Likelihood last = lastLikelihood.get();
        lastLikelihood.remove();
        float[] likelihood;
        if (last != null && java.util.Arrays.equals(last.input(), rounded(batch))) {
            likelihood = last.scores();
        } else {
            likelihood = sums(logProb(batch, true), batch, true);
        }
        Map<String, float[]> m = new LinkedHashMap<>();
        m.put(LIKELIHOOD, likelihood);
        return m;
    }

    /** The likelihood scores of the last batch scored on a thread, and that batch's (rounded) values. */
    private record Likelihood(float[] input, float[] scores) {
    }

    /** The per-instance sums (negated when {@code negate}) of {@code values}, laid out as {@code batch}. */
    private static float[] sums(float[] values, Batch batch, boolean negate) {
        int n = batch.size();
        int f = batch.featuresPerInstance();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < f; j++) {
                sum += values[i * f + j];
            }
            out[i] = (float) (negate ? -sum : sum);
        }
        return out;
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
