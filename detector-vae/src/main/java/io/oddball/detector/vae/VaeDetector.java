package io.oddball.detector.vae;

import static java.util.Objects.requireNonNull;

import io.oddball.api.DetectorContext;
import io.oddball.api.Encoder;
import io.oddball.api.FitOptions;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.tf.Devices;
import io.oddball.tf.Sessions;
import io.oddball.tf.TfOptions;
import io.oddball.tf.autoencoder.ReconstructionDetector;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.layers.Initializer;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.WeightSpec;
import io.oddball.tf.layers.Weights;
import io.oddball.tf.train.Adam;
import io.oddball.tf.train.TrainingGraph;
import io.oddball.tf.train.TrainingHistory;
import io.oddball.tf.train.TrainingLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Alibi Detect's {@code OutlierVAE}: a variational autoencoder ({@link VaeNetwork}) trained on normal data by
 * minimising the negative ELBO — the Gaussian negative log-likelihood of the reconstruction ({@link CovElbo}) plus
 * {@code beta} times the KL divergence of {@code q(z|x)} from {@code N(0, I)} ({@link VaeLoss}) — with Adam, through
 * the reparameterised latent {@code z = μ + exp(logvar/2)·ε}. Scoring decodes {@code samples} fresh latent draws per
 * instance; the feature score of each element is the mean over the draws of {@code (x − x̂)²} (Alibi's
 * {@code score_type='mse'}); the instance score is left to the runtime's scorer.
 *
 * <p>Randomness and repeatability. Training draws ε with TensorFlow's stateful normal generator keyed by the fit seed,
 * so a fit is repeatable for a fixed seed. Scoring draws ε inside the inference graph with TensorFlow's stateless
 * (counter-based Philox) normal generator keyed by {@code (fit seed, }{@value #SCORE_STREAM}{@code )}: ε depends
 * only on an instance's row within its TensorFlow run (runs of at most {@code inferenceBatchSize} instances) and the
 * sample index, never on earlier calls or other threads. The same batch therefore gets the same scores on every call,
 * on any thread, and after save and load in another JVM (the key is a constant of the saved graph); the same image at
 * another row of a batch gets other draws. The SavedModel holds the sampling, so Python TensorFlow reproduces the
 * scores as well.
 *
 * <p>As an {@link Encoder} it gives the mean {@code μ} of {@code q(z|x)} (the SavedModel's {@code embedding} output),
 * deterministic, for a pipeline's {@code embed} stage; a model saved before that output existed cannot encode.
 *
 * <p>Thread-safe after fit: {@link #score} may run on many threads; {@link #close} waits for running scores.
 */
public final class VaeDetector extends ReconstructionDetector<VaeDetector.Fitted> implements Encoder {
    /** Second word of the key of the scoring draws. */
    static final long SCORE_STREAM = 0x5C0E;
    private static final long TRAIN_STREAM = 0x7A1E;
    private static final String LEARNED_LOG_VAR = "lik_logvar";
    private static final Logger LOG = LoggerFactory.getLogger(VaeDetector.class);

    private final VaeConfig config;

    /**
     * The fitted state.
     *
     * @param network the network
     * @param model its inference graph
     * @param history what training did; null when loaded
     * @param scoreSeed first word of the key of the scoring draws
     */
    record Fitted(VaeNetwork network, InferenceModel model, TrainingHistory history, long scoreSeed)
            implements ReconstructionDetector.Fitted {
    }

    /** An unfitted detector. */
    public VaeDetector(VaeConfig config, DetectorContext context) {
        this(config, null, context);
    }

    /** A fitted detector from saved state (see {@link VaeModelFiles}); unfitted when {@code state} is null. */
    VaeDetector(VaeConfig config, Fitted state, DetectorContext context) {
        super(VaeDetectorProvider.NAME, state, context);
        this.config = requireNonNull(config, "config is null");
    }

    /** The configuration. */
    public VaeConfig config() {
        return config;
    }

    @Override
    protected int inferenceBatchSize() {
        return config.inferenceBatchSize();
    }

    @Override
    protected Fitted train(Shape instance, float[] x, FitOptions options) {
        VaeNetwork net = VaeNetwork.of(config.network(), instance);
        int d = Math.toIntExact(instance.size());
        LOG.info("vae: {} on {} instances of {}, {} parameters, latent {}, covElbo {}, beta {}, {} epochs, batch {}, "
                + "learning rate {}", config.network().architecture().yamlName(), x.length / d, instance,
                net.parameterCount(), net.latentDim(), config.covElbo().toMap(), config.beta(), options.epochs(),
                options.batchSize(), options.learningRate());
        List<WeightSpec> specs = new ArrayList<>(net.weights());
        if (config.covElbo().kind() == CovElbo.Kind.DIAG_LEARNED) {
            specs.add(new WeightSpec(LEARNED_LOG_VAR, Shape.of(d), Initializer.zeros()));
        }
        Weights trained;
        TrainingHistory history;
        try (Graph g = new Graph()) {
            Ops tf = Devices.place(Ops.create(g), context());
            Placeholder<TFloat32> in = input(tf, instance);
            ModelVariables vars = ModelVariables.create(tf, "vae", specs).forTraining();
            Operand<TFloat32>[] q = net.encode(tf, in, vars, tfOptions());
            // ε's shape from the input placeholder, not from μ: a path from the weights into RandomStandardNormal
            // (which has no gradient) makes addGradients fail.
            Operand<TInt32> epsShape = tf.concat(List.of(batchSize(tf, in), tf.constant(new int[] {net.latentDim()})),
                    tf.constant(0));
            Operand<TFloat32> eps = tf.random.randomStandardNormal(epsShape, TFloat32.class,
                    RandomStandardNormal.seed(options.seed()), RandomStandardNormal.seed2(TRAIN_STREAM));
            Operand<TFloat32> z = tf.math.add(q[0], tf.math.mul(tf.math.exp(tf.math.mul(tf.constant(0.5f), q[1])),
                    eps));
            Operand<TFloat32> xhat = net.decode(tf, z, vars, tfOptions());
            Operand<TInt32> flat = tf.constant(new int[] {-1, d});
            Operand<TFloat32> nll = VaeLoss.gaussianNll(tf, tf.reshape(in, flat), tf.reshape(xhat, flat),
                    logSigma(tf, vars, x, d));
            Operand<TFloat32> loss = tf.math.add(nll, tf.math.mul(tf.constant((float) config.beta()),
                    VaeLoss.kl(tf, q[0], q[1])));
            Adam adam = new Adam(tf, loss, vars);
            try (Session s = Sessions.open(g)) {
                vars.assign(s, Weights.initial(vars.specs(), options.seed()));
                adam.reset(s);
                history = TrainingLoop.run(new TrainingGraph(s, in, loss, adam, vars), x, instance, options,
                        context(), "vae fit");
                trained = vars.read(s);
            }
        }
        return new Fitted(net, inferenceModel(net, config.samples(), options.seed(), trained, context(), tfOptions()),
                history, options.seed());
    }

    /** log σ of the likelihood: a scalar, a constant per feature, or half the learned log-variance. */
    private Operand<TFloat32> logSigma(Ops tf, ModelVariables vars, float[] x, int d) {
        return switch (config.covElbo().kind()) {
            case SIM -> tf.constant((float) Math.log(config.covElbo().sim()));
            case DIAG_DATA -> tf.constant(logStd(x, d));
            case DIAG_LEARNED -> tf.math.mul(tf.constant(0.5f), vars.value(LEARNED_LOG_VAR));
        };
    }

    /** log of each feature's population standard deviation, floored at {@link CovElbo#MIN_SIGMA}. */
    static float[] logStd(float[] x, int d) {
        int n = x.length / d;
        double[] sum = new double[d];
        double[] sq = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                sum[j] += v;
                sq[j] += v * v;
            }
        }
        float[] out = new float[d];
        for (int j = 0; j < d; j++) {
            double mean = sum[j] / n;
            double var = Math.max(0, sq[j] / n - mean * mean);
            out[j] = (float) Math.log(Math.max(Math.sqrt(var), CovElbo.MIN_SIGMA));
        }
        return out;
    }

    /**
     * The inference graph holding {@code weights}: {@code input →} {@code feature_scores} (mean over {@code samples}
     * stateless draws keyed by {@code (seed, SCORE_STREAM)} of {@code (x − decode(μ + σ·ε))²}) and
     * {@code reconstruction} ({@code decode(μ)}, computed only when fetched) and {@code embedding} ({@code μ}); built
     * as {@code options} say.
     */
    static InferenceModel inferenceModel(VaeNetwork net, int samples, long seed, Weights weights,
            DetectorContext context, TfOptions options) {
        Shape shape = net.input();
        int d = Math.toIntExact(shape.size());
        int latent = net.latentDim();
        return InferenceModel.build(context, options, "vae", net.weights(), weights, (tf, vars, o) -> {
            Placeholder<TFloat32> x = input(tf, shape);
            Operand<TFloat32>[] q = net.encode(tf, x, vars, o);
            Operand<TInt32> epsShape = tf.concat(List.of(batchSize(tf, x), tf.constant(new int[] {samples, latent})),
                    tf.constant(0));
            Operand<TFloat32> eps = tf.random.statelessRandomNormal(epsShape,
                    tf.constant(new long[] {seed, SCORE_STREAM}));
            Operand<TInt32> one = tf.constant(1);
            Operand<TFloat32> std = tf.math.exp(tf.math.mul(tf.constant(0.5f), q[1]));
            Operand<TFloat32> z = tf.math.add(tf.expandDims(q[0], one), tf.math.mul(tf.expandDims(std, one), eps));
            Operand<TFloat32> xhat = net.decode(tf, tf.reshape(z, tf.constant(new int[] {-1, latent})), vars, o);
            Operand<TFloat32> err = tf.math.squaredDifference(tf.reshape(x, tf.constant(new int[] {-1, 1, d})),
                    tf.reshape(xhat, tf.constant(new int[] {-1, samples, d})));
            Operand<TFloat32> fs = tf.withName(FEATURE_SCORES).reshape(tf.math.mean(err, tf.constant(1)),
                    tf.constant(batchShape(shape)));
            Operand<TFloat32> recon = tf.withName(RECONSTRUCTION).identity(net.decode(tf, q[0], vars, o));
            Map<String, InferenceModel.Output> out = new LinkedHashMap<>();
            out.put(RECONSTRUCTION, new InferenceModel.Output(recon, shape));
            out.put(FEATURE_SCORES, new InferenceModel.Output(fs, shape));
            out.put(EMBEDDING, new InferenceModel.Output(tf.withName(EMBEDDING).identity(q[0]), Shape.of(latent)));
            return new InferenceModel.Spec(x, shape, out);
        });
    }

    /** The number of instances fed to {@code x}, as a 1-vector. */
    private static Operand<TInt32> batchSize(Ops tf, Operand<TFloat32> x) {
        return tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    }

    private static int[] batchShape(Shape instance) {
        int[] dims = new int[instance.rank() + 1];
        dims[0] = -1;
        for (int i = 0; i < instance.rank(); i++) {
            dims[i + 1] = instance.dim(i);
        }
        return dims;
    }

    /** Output names and instance shapes of the inference graph, as {@link InferenceModel#load} checks them. */
    static Map<String, Shape> outputShapes(Shape shape) {
        return Map.of(RECONSTRUCTION, shape, FEATURE_SCORES, shape);
    }

    @Override
    public Shape codeShape() {
        Fitted f = fitted();
        return f == null ? null : Shape.of(f.network().latentDim());
    }

    /** The means {@code μ} of the latent distribution of a batch, row-major. */
    @Override
    public float[] encode(Batch batch) {
        return runEmbedding(batch);
    }

    @Override
    public Map<String, Object> hyperParameters() {
        return config.toMap();
    }

    @Override
    protected void write(Path dir, Fitted state) {
        VaeModelFiles.write(dir, config, state);
    }
}
