package com.example.zscore;

import io.oddball.api.DetectorContext;
import io.oddball.tf.Devices;
import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The detector's numerics as one small TensorFlow graph over rows of {@code dim} features, built once and run many
 * times: per-column sums of {@code x − center} and of its square (fit), and the feature scores
 * {@code ((x − center) · scale)²} (score). Thread-safe: a session run is. Close it to free the native graph.
 */
final class ZScoreGraph implements AutoCloseable {
    private final int dim;
    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> x;
    private final Placeholder<TFloat32> center;
    private final Placeholder<TFloat32> scale;
    private final Operand<TFloat64> sum;
    private final Operand<TFloat64> sumOfSquares;
    private final Operand<TFloat32> featureScores;

    ZScoreGraph(int dim, DetectorContext context) {
        this.dim = dim;
        this.graph = new Graph();
        try {
            // every op on the device the context prefers (soft placement: the CPU when there is no GPU)
            Ops tf = Devices.place(Ops.create(graph), context).withSubScope("zscore");
            x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, dim)));
            center = tf.withName("center").placeholder(TFloat32.class, Placeholder.shape(Shape.of(dim)));
            scale = tf.withName("scale").placeholder(TFloat32.class, Placeholder.shape(Shape.of(dim)));
            // fit: sums in float64, so that many rows add up without float32 rounding
            Operand<TFloat64> shifted = tf.math.sub(tf.dtypes.cast(x, TFloat64.class),
                    tf.dtypes.cast(center, TFloat64.class));
            sum = tf.sum(shifted, tf.constant(0));
            sumOfSquares = tf.sum(tf.math.square(shifted), tf.constant(0));
            // score: the squared z-score of every feature
            featureScores = tf.math.square(tf.math.mul(tf.math.sub(x, center), scale));
            session = Sessions.open(graph);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /**
     * Per-column sums of {@code x − center} and of {@code (x − center)²} over the {@code n} rows of {@code rows}
     * (row-major): {@code [sums, sumsOfSquares]}.
     */
    double[][] sums(float[] rows, int n, float[] centerValues) {
        try (TFloat32 xt = Tensors.floats(rows, n, dim);
                TFloat32 ct = Tensors.floats(centerValues, dim);
                Result r = session.runner().feed(x, xt).feed(center, ct).fetch(sum).fetch(sumOfSquares).run()) {
            return new double[][] {Tensors.toDoubles(Tensors.get(r, 0, TFloat64.class)),
                Tensors.toDoubles(Tensors.get(r, 1, TFloat64.class))};
        }
    }

    /** The feature scores {@code ((x − mean) · scale)²} of the {@code n} rows of {@code rows}, row-major. */
    float[] featureScores(float[] rows, int n, float[] mean, float[] scaleValues) {
        try (TFloat32 xt = Tensors.floats(rows, n, dim);
                TFloat32 mt = Tensors.floats(mean, dim);
                TFloat32 st = Tensors.floats(scaleValues, dim);
                Result r = session.runner().feed(x, xt).feed(center, mt).feed(scale, st).fetch(featureScores)
                        .run()) {
            return Tensors.toFloats(Tensors.get(r, 0, TFloat32.class));
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            graph.close();
        }
    }
}
