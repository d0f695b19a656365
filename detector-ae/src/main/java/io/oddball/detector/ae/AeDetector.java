package io.oddball.detector.ae;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.Reconstructor;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.result.Scores;
import io.oddball.tf.Devices;
import io.oddball.tf.Sessions;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.Weights;
import io.oddball.tf.train.Adam;
import io.oddball.tf.train.TrainingGraph;
import io.oddball.tf.train.TrainingHistory;
import io.oddball.tf.train.TrainingLoop;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Alibi Detect's {@code OutlierAE}: an autoencoder ({@link AeNetwork}) trained on normal data with the mean squared
 * reconstruction error and Adam; the feature score of each element is {@code (x − x̂)²}, the instance score is left
 * to the runtime's scorer (Alibi's top-{@code outlierPerc} mean). Training builds a graph with Adam; scoring runs a
 * separate inference graph ({@code input → reconstruction, feature_scores}) holding the trained weights, which is
 * what {@link #save} writes as a SavedModel and {@link AeDetectorProvider#load} reads back, so scores after loading are
 * bit-identical.
 *
 * <p>Thread-safe after fit: {@link #score} may run on many threads; {@link #close} waits for running scores.
 */
public final class AeDetector implements Detector, Reconstructor {
    private static final Logger LOG = LoggerFactory.getLogger(AeDetector.class);
    static final String FEATURE_SCORES = "feature_scores";
    static final String RECONSTRUCTION = "reconstruction";

    private final AeConfig config;
    private final DetectorContext context;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile Fitted fitted;
    private boolean closed;

    /** The fitted state: the network, its inference model and, when trained in this JVM, the training history. */
    record Fitted(AeNetwork network, InferenceModel model, TrainingHistory history) {
    }

    /** An unfitted detector. */
    public AeDetector(AeConfig config, DetectorContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
    }

    /** A fitted detector from saved state (see {@link AeModelFiles}). */
    AeDetector(AeConfig config, Fitted state, DetectorContext context) {
        this(config, context);
        this.fitted = requireNonNull(state, "state is null");
    }

    @Override
    public String name() {
        return AeDetectorProvider.NAME;
    }

    @Override
    public Shape inputShape() {
        Fitted f = fitted;
        return f == null ? null : f.network().input();
    }

    @Override
    public boolean hasFeatureScores() {
        return true;
    }

    /** The configuration. */
    public AeConfig config() {
        return config;
    }

    /** What training did; null before fit and for a loaded detector. */
    public TrainingHistory history() {
        Fitted f = fitted;
        return f == null ? null : f.history();
    }

    /** Number of trainable values of the network; 0 before fit. */
    public long parameterCount() {
        Fitted f = fitted;
        return f == null ? 0 : f.network().parameterCount();
    }

    @Override
    public void fit(Dataset data, FitOptions options) {
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("ae: detector is closed");
            }
            if (fitted != null) {
                throw new IllegalStateException("ae: detector is already fitted; create a new one to refit");
            }
            Batch all = data.readAll();
            String where = "ae: " + data.name();
            if (all.size() == 0) {
                throw new DataException(where + ": expected at least 1 instance, found none");
            }
            float[] x = all.toArray();
            checkFinite(x, all.featuresPerInstance(), where);
            AeNetwork net = AeNetwork.of(config, all.instanceShape());
            LOG.info("ae: {} on {} instances of {}, {} parameters, {} epochs, batch {}, learning rate {}",
                    config.architecture().yamlName(), all.size(), net.input(), net.parameterCount(),
                    options.epochs(), options.batchSize(), options.learningRate());
            Weights trained;
            TrainingHistory history;
            try (Graph g = new Graph()) {
                Ops tf = Devices.place(Ops.create(g), context);
                Placeholder<TFloat32> in = input(tf, net.input());
                ModelVariables vars = ModelVariables.create(tf, "ae", net.weights());
                Operand<TFloat32> xhat = net.reconstruction(tf, in, vars);
                Operand<TFloat32> sq = tf.math.square(tf.math.sub(xhat, in));
                Operand<TFloat32> loss = tf.math.mean(tf.reshape(sq, tf.constant(new int[] {-1})), tf.constant(0));
                Adam adam = new Adam(tf, loss, vars);
                try (Session s = Sessions.open(g)) {
                    vars.assign(s, Weights.initial(vars.specs(), options.seed()));
                    adam.reset(s);
                    history = TrainingLoop.run(new TrainingGraph(s, in, loss, adam, vars), x, net.input(), options,
                            context, "ae fit");
                    trained = vars.read(s);
                }
            }
            fitted = new Fitted(net, inferenceModel(net, trained, context), history);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static Placeholder<TFloat32> input(Ops tf, Shape instance) {
        long[] dims = new long[instance.rank() + 1];
        dims[0] = -1;
        for (int i = 0; i < instance.rank(); i++) {
            dims[i + 1] = instance.dim(i);
        }
        return tf.withName("input").placeholder(TFloat32.class,
                Placeholder.shape(org.tensorflow.ndarray.Shape.of(dims)));
    }

    /** The inference graph {@code input → reconstruction, feature_scores} holding {@code weights}. */
    static InferenceModel inferenceModel(AeNetwork net, Weights weights, DetectorContext context) {
        Graph g = new Graph();
        try {
            Ops tf = Devices.place(Ops.create(g), context);
            Placeholder<TFloat32> x = input(tf, net.input());
            ModelVariables vars = ModelVariables.create(tf, "ae", net.weights());
            Operand<TFloat32> xhat = tf.withName(RECONSTRUCTION).identity(net.reconstruction(tf, x, vars));
            Operand<TFloat32> fs = tf.withName(FEATURE_SCORES).math.square(tf.math.sub(x, xhat));
            Session s = Sessions.open(g);
            try {
                vars.assign(s, weights);
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            return InferenceModel.of(g, s, x, net.input(), outputs(net.input(), xhat, fs));
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    private static Map<String, InferenceModel.Output> outputs(Shape shape, Operand<TFloat32> xhat,
            Operand<TFloat32> fs) {
        Map<String, InferenceModel.Output> out = new LinkedHashMap<>();
        out.put(RECONSTRUCTION, new InferenceModel.Output(xhat, shape));
        out.put(FEATURE_SCORES, new InferenceModel.Output(fs, shape));
        return out;
    }

    /** Output names and instance shapes of the inference graph, as {@link InferenceModel#load} checks them. */
    static Map<String, Shape> outputShapes(Shape shape) {
        return Map.of(RECONSTRUCTION, shape, FEATURE_SCORES, shape);
    }

    @Override
    public Scores score(Batch batch) {
        requireNonNull(batch, "batch is null");
        float[] fs = run(batch, FEATURE_SCORES);
        return Scores.ofFeatures(batch.size(), batch.instanceShape(), fs, null);
    }

    /** The reconstructions {@code x̂} of a batch (the SavedModel's {@code reconstruction} output), shape of the batch. */
    @Override
    public Batch reconstruct(Batch batch) {
        requireNonNull(batch, "batch is null");
        return Batch.wrap(run(batch, RECONSTRUCTION), batch.shape(), null);
    }

    private float[] run(Batch batch, String output) {
        lock.readLock().lock();
        try {
            Fitted f = requireFitted();
            if (!f.network().input().equals(batch.instanceShape())) {
                throw new DataException("ae: expected instance shape " + f.network().input() + ", found "
                        + batch.instanceShape());
            }
            if (batch.size() == 0) {
                return new float[0];
            }
            float[] x = batch.toArray();
            checkFinite(x, batch.featuresPerInstance(), "ae: scored batch");
            return f.model().run(x, batch.size(), config.inferenceBatchSize(), output)[0];
        } finally {
            lock.readLock().unlock();
        }
    }

    private static void checkFinite(float[] x, int features, String where) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new DataException(where + ": instance " + (i / features) + ", feature " + (i % features)
                        + ": expected a finite value, found " + x[i]);
            }
        }
    }

    private Fitted requireFitted() {
        if (closed) {
            throw new IllegalStateException("ae: detector is closed");
        }
        Fitted f = fitted;
        if (f == null) {
            throw new IllegalStateException("ae: detector is not fitted; call fit or load first");
        }
        return f;
    }

    @Override
    public Map<String, Object> hyperParameters() {
        return config.toMap();
    }

    @Override
    public void save(Path modelDir) {
        requireNonNull(modelDir, "modelDir is null");
        lock.readLock().lock();
        try {
            AeModelFiles.write(modelDir, config, requireFitted());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Fitted f = fitted;
            if (f != null) {
                f.model().close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "AeDetector[" + config.toMap() + (fitted == null ? ", unfitted" : ", fitted") + "]";
    }
}
