package io.oddball.tf.train;

import io.oddball.api.data.Shape;
import io.oddball.tf.Sessions;
import io.oddball.tf.TfOptions;
import io.oddball.tf.layers.Activation;
import io.oddball.tf.layers.Dense;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.Sequential;
import io.oddball.tf.layers.WeightSpec;
import io.oddball.tf.layers.Weights;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** A 4 → 8 → 2 → 8 → 4 MLP autoencoder with MSE loss, for training tests. */
final class TinyAutoencoder implements AutoCloseable {
    static final Shape SHAPE = Shape.of(4);
    final Graph graph = new Graph();
    final Session session;
    final TrainingGraph training;

    TinyAutoencoder(long seed) {
        Ops tf = Ops.create(graph);
        Sequential enc = Sequential.of("enc", new Dense(8, Activation.RELU), new Dense(2, Activation.LINEAR));
        Sequential dec = Sequential.of("dec", new Dense(8, Activation.RELU), new Dense(4, Activation.LINEAR));
        List<WeightSpec> specs = new ArrayList<>(enc.weights(SHAPE));
        specs.addAll(dec.weights(enc.outputShape(SHAPE)));
        ModelVariables vars = ModelVariables.create(tf, "tiny", specs);
        Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
        TfOptions options = TfOptions.defaults();
        Operand<TFloat32> xhat = dec.build(tf, enc.build(tf, x, SHAPE, vars, options), enc.outputShape(SHAPE), vars,
                options);
        Operand<TFloat32> loss = tf.math.mean(tf.math.square(tf.math.sub(xhat, x)), tf.constant(new int[] {0, 1}));
        Adam adam = new Adam(tf, loss, vars);
        session = Sessions.open(graph);
        vars.assign(session, Weights.initial(specs, seed));
        adam.reset(session);
        training = new TrainingGraph(session, x, loss, adam, vars);
    }

    /** 16 points on a 2-D plane in 4-D. */
    static float[] data() {
        float[] d = new float[16 * 4];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 16; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            d[i * 4] = (float) a;
            d[i * 4 + 1] = (float) b;
            d[i * 4 + 2] = (float) (a + b);
            d[i * 4 + 3] = (float) (a - 0.5 * b);
        }
        return d;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
