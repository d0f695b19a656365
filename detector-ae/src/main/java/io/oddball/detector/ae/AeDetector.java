package io.oddball.detector.ae;

import static java.util.Objects.requireNonNull;

import io.oddball.api.DetectorContext;
import io.oddball.api.Encoder;
import io.oddball.api.FitOptions;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.tf.Devices;
import io.oddball.tf.Sessions;
import io.oddball.tf.TfOptions;
import io.oddball.tf.autoencoder.EncoderDecoder;
import io.oddball.tf.autoencoder.ReconstructionDetector;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Alibi Detect's {@code OutlierAE}: an autoencoder ({@link EncoderDecoder}) trained on normal data with the mean squared
 * reconstruction error and Adam; the feature score of each element is {@code (x − x̂)²}, the instance score is left
 * to the runtime's scorer (Alibi's top-{@code outlierPerc} mean). Training builds a graph with Adam; scoring runs a
 * separate inference graph ({@code input → reconstruction, feature_scores, embedding}) holding the trained weights,
 * which is what {@link #save} writes as a SavedModel and {@link AeDetectorProvider#load} reads back, so scores after
 * loading are bit-identical. As an {@link Encoder} it gives the latent code ({@code embedding}, the encoder's output)
 * for a pipeline's {@code embed} stage; a model saved before that output existed scores but cannot encode.
 *
 * <p>Thread-safe after fit: {@link #score} may run on many threads; {@link #close} waits for running scores.
 */
public final class AeDetector extends ReconstructionDetector<AeDetector.Fitted> implements Encoder {
    private static final Logger LOG = LoggerFactory.getLogger(AeDetector.class);

    private final AeConfig config;

    /** The fitted state: the network, its inference model and, when trained in this JVM, the training history. */
    record Fitted(EncoderDecoder network, InferenceModel model, TrainingHistory history)
            implements ReconstructionDetector.Fitted {
    }

    /** An unfitted detector. */
    public AeDetector(AeConfig config, DetectorContext context) {
        this(config, null, context);
    }

    /** A fitted detector from saved state (see {@link AeModelFiles}); unfitted when {@code state} is null. */
    AeDetector(AeConfig config, Fitted state, DetectorContext context) {
        super(AeDetectorProvider.NAME, state, context);
        this.config = requireNonNull(config, "config is null");
    }

    /** The configuration. */
    public AeConfig config() {
        return config;
    }

    @Override
    protected int inferenceBatchSize() {
        return config.inferenceBatchSize();
    }

    @Override
    protected Fitted train(Shape instance, float[] x, FitOptions options) {
        EncoderDecoder net = EncoderDecoder.of(config.network(), instance, "ae");
        LOG.info("ae: {} on {} instances of {}, {} parameters, {} epochs, batch {}, learning rate {}",
                config.architecture().yamlName(), x.length / instance.size(), net.input(), net.parameterCount(),
                options.epochs(), options.batchSize(), options.learningRate());
        Weights trained;
        TrainingHistory history;
        try (Graph g = new Graph()) {
            Ops tf = Devices.place(Ops.create(g), context());
            Placeholder<TFloat32> in = input(tf, net.input());
            ModelVariables vars = ModelVariables.create(tf, "ae", net.weights()).forTraining();
            Operand<TFloat32> xhat = net.reconstruction(tf, in, vars, tfOptions());
            Operand<TFloat32> sq = tf.math.square(tf.math.sub(xhat, in));
            Operand<TFloat32> loss = tf.math.mean(tf.reshape(sq, tf.constant(new int[] {-1})), tf.constant(0));
            Adam adam = new Adam(tf, loss, vars);
            try (Session s = Sessions.open(g)) {
                vars.assign(s, Weights.initial(vars.specs(), options.seed()));
                adam.reset(s);
                history = TrainingLoop.run(new TrainingGraph(s, in, loss, adam, vars), x, net.input(), options,
                        context(), "ae fit");
                trained = vars.read(s);
            }
        }
        return new Fitted(net, inferenceModel(net, trained, context(), tfOptions()), history);
    }

    /**
     * The inference graph {@code input → reconstruction, feature_scores, embedding} holding {@code weights}, built as
     * {@code options} say.
     */
    static InferenceModel inferenceModel(EncoderDecoder net, Weights weights, DetectorContext context,
            TfOptions options) {
        return InferenceModel.build(context, options, "ae", net.weights(), weights, (tf, vars, o) -> {
            Placeholder<TFloat32> x = input(tf, net.input());
            Shape codeShape = net.encoder().outputShape(net.input());
            // The same ops as EncoderDecoder.reconstruction, with the code between them exposed as an output.
            Operand<TFloat32> code = tf.withName(EMBEDDING).identity(net.encoder().build(tf, x, net.input(), vars, o));
            Operand<TFloat32> xhat = tf.withName(RECONSTRUCTION).identity(net.decoder().build(tf, code, codeShape,
                    vars, o));
            Operand<TFloat32> fs = tf.withName(FEATURE_SCORES).math.square(tf.math.sub(x, xhat));
            Map<String, InferenceModel.Output> out = new LinkedHashMap<>();
            out.put(RECONSTRUCTION, new InferenceModel.Output(xhat, net.input()));
            out.put(FEATURE_SCORES, new InferenceModel.Output(fs, net.input()));
            out.put(EMBEDDING, new InferenceModel.Output(code, codeShape));
            return new InferenceModel.Spec(x, net.input(), out);
        });
    }

    /**
     * Output names and instance shapes every saved inference graph has, as {@link InferenceModel#load} checks them
     * ({@code embedding} is optional: older models lack it).
     */
    static Map<String, Shape> outputShapes(Shape shape) {
        return Map.of(RECONSTRUCTION, shape, FEATURE_SCORES, shape);
    }

    @Override
    public Shape codeShape() {
        Fitted f = fitted();
        return f == null ? null : f.network().encoder().outputShape(f.input());
    }

    /** The latent codes of a batch (the encoder's output, {@code embedding} in the SavedModel), row-major. */
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
        AeModelFiles.write(dir, config, state);
    }
}
