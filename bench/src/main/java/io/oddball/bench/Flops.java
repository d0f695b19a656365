package io.oddball.bench;

import io.oddball.api.data.Shape;
import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import io.oddball.tf.autoencoder.EncoderDecoder;
import io.oddball.tf.layers.Conv2D;
import io.oddball.tf.layers.Conv2DTranspose;
import io.oddball.tf.layers.Dense;
import io.oddball.tf.layers.Layer;
import io.oddball.tf.layers.Sequential;
import java.util.Arrays;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Useful floating-point work and the machine's float32 peak, measured in the same invocation as a benchmark so that a
 * percentage of the peak does not depend on how fast the (shared, virtual) machine is that minute.
 */
final class Flops {
    private Flops() {
    }

    /**
     * Forward FLOPs of one instance of {@code net} (2 per multiply-add of the convolutions, transposed convolutions and
     * dense layers; activations, biases and the loss not counted), the count the PyTorch peer uses: 124.8 M for
     * {@code alibi-cifar10}.
     */
    static double forward(EncoderDecoder net) {
        Shape in = net.input();
        double total = 0;
        for (Sequential part : new Sequential[] {net.encoder(), net.decoder()}) {
            for (Layer layer : part.layers()) {
                Shape out = layer.outputShape(in);
                if (layer instanceof Conv2D c) {
                    total += 2.0 * out.dim(0) * out.dim(1) * c.kernel() * c.kernel() * in.dim(2) * c.filters();
                } else if (layer instanceof Conv2DTranspose t) {
                    total += 2.0 * in.dim(0) * in.dim(1) * t.kernel() * t.kernel() * in.dim(2) * t.filters();
                } else if (layer instanceof Dense d) {
                    total += 2.0 * in.size() * d.units();
                }
                in = out;
            }
        }
        return total;
    }

    /** GFLOP/s of a 2048 × 2048 × 2048 float32 MatMul in a TensorFlow session: median of 20 after 3 warm-up runs. */
    static double matMulPeak() {
        int n = 2048;
        float[] a = new float[n * n];
        Random r = new Random(1);
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat();
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
            // the sum keeps the fetch small: a copy of the 16 MB product would be timed too
            Operand<TFloat32> y = tf.reduceSum(tf.linalg.matMul(x, x), tf.constant(new int[] {0, 1}));
            double[] s = new double[20];
            try (Session session = new Session(g, Sessions.config()); TFloat32 t = Tensors.floats(a, n, n)) {
                for (int i = -3; i < s.length; i++) {
                    long t0 = System.nanoTime();
                    try (Result res = session.runner().feed(x, t).fetch(y).run()) {
                        if (i >= 0) {
                            s[i] = (System.nanoTime() - t0) / 1e9;
                        }
                    }
                }
            }
            Arrays.sort(s);
            return 2.0 * n * n * n / s[s.length / 2] / 1e9;
        }
    }
}
