package io.oddball.tf.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.DetectorContext;
import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import io.oddball.tf.TfOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class SpatialConvTest {
    /**
     * The options {@link SpatialConv} is built with: the environment's, as every test context's (the AVX2 test pass sets
     * {@code ODDBALL_OPS=on}); the op library's tests build with the library on.
     */
    TfOptions options() {
        return TfOptions.of(DetectorContext.simple());
    }

    /**
     * Output and the gradients of {@code sum(y · r)} (r fixed noise) with respect to x and the kernel, by
     * {@link SpatialConv} built with {@code options} or (null) by zero-padding and TensorFlow's {@code Conv2D} with
     * its own gradient.
     */
    private static List<float[]> run(TfOptions options, int[] xs, int kh, int kw, int cout, int stride, int[] pad) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> x = tf.variable(tf.constant(org.tensorflow.ndarray.Shape.of(xs[0], xs[1], xs[2], xs[3]),
                    org.tensorflow.ndarray.buffer.DataBuffers.of(random(xs[0] * xs[1] * xs[2] * xs[3], 1))));
            Operand<TFloat32> w = tf.variable(tf.constant(org.tensorflow.ndarray.Shape.of(kh, kw, xs[3], cout),
                    org.tensorflow.ndarray.buffer.DataBuffers.of(random(kh * kw * xs[3] * cout, 2))));
            Operand<TFloat32> y = options != null
                    ? SpatialConv.conv(tf, options, "c", x, w, kh, kw, stride, pad)
                    : tf.nn.conv2d(tf.pad(x, tf.constant(new int[][] {{0, 0}, {pad[0], pad[1]}, {pad[2], pad[3]},
                            {0, 0}}), tf.constant(0f)), w, List.of(1L, (long) stride, (long) stride, 1L), "VALID");
            Operand<TFloat32> r = tf.math.sin(tf.math.mul(tf.dtypes.cast(tf.range(tf.constant(0), tf.size(y),
                    tf.constant(1)), TFloat32.class), tf.constant(0.37f)));
            Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(tf.reshape(y, tf.constant(new int[] {-1})), r),
                    tf.constant(0));
            var grads = tf.gradients(loss, List.of(x, w));
            try (Session s = new Session(g, Sessions.config())) {
                s.initialize();
                try (Result res = s.runner().fetch(y).fetch(grads.dy(0)).fetch(grads.dy(1)).run()) {
                    List<float[]> out = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        out.add(Tensors.toFloats(Tensors.get(res, i, TFloat32.class)));
                    }
                    return out;
                }
            }
        }
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private void assertSame(int[] xs, int kh, int kw, int cout, int stride, int[] pad) {
        List<float[]> ours = run(options(), xs, kh, kw, cout, stride, pad);
        List<float[]> tfs = run(null, xs, kh, kw, cout, stride, pad);
        String[] what = {"output", "input gradient", "kernel gradient"};
        for (int i = 0; i < 3; i++) {
            assertThat(ours.get(i)).as(what[i]).hasSameSizeAs(tfs.get(i));
            double scale = 0;
            for (float v : tfs.get(i)) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertThat(scale).as(what[i]).isPositive();
            for (int j = 0; j < tfs.get(i).length; j++) {
                assertThat((double) ours.get(i)[j]).as("%s at %d", what[i], j)
                        .isCloseTo(tfs.get(i)[j], org.assertj.core.api.Assertions.within(2e-5 * scale));
            }
        }
    }

    @Test
    void pixelCnnShapesMatchPaddingAndConv2dInOutputAndGradients() {
        assertSame(new int[] {2, 7, 6, 5}, 2, 3, 4, 1, new int[] {1, 0, 1, 1}); // down-shifted
        assertSame(new int[] {2, 7, 6, 5}, 2, 2, 3, 1, new int[] {1, 0, 1, 0}); // down-right-shifted
        assertSame(new int[] {3, 4, 5, 6}, 1, 1, 2, 1, new int[] {0, 0, 0, 0}); // 1×1
        assertSame(new int[] {2, 8, 8, 3}, 2, 3, 4, 2, new int[] {1, 0, 1, 1}); // stride-2 down-sampling
    }

    @Test
    void otherPaddingsFallBackToTensorFlowsInputGradient() {
        assertSame(new int[] {1, 5, 6, 2}, 3, 3, 2, 1, new int[] {2, 2, 0, 1}); // pad ≤ k − 1, asymmetric
        assertSame(new int[] {1, 5, 6, 2}, 1, 2, 3, 1, new int[] {1, 0, 2, 0}); // pad > k − 1: Conv2DBackpropInput
    }

    @Test
    void kernelSizeIsReadFromTheOpNameEvenWhenTensorFlowMadeItUnique() {
        assertThat(SpatialConv.kernelOf("up0_0_u_in_conv.spatial_k2x3")).containsExactly(2, 3);
        assertThat(SpatialConv.kernelOf("a.spatial_k1x1/b_conv.spatial_k12x2_1")).containsExactly(12, 2);
        assertThat(SpatialConv.kernelOf("Conv")).isNull();
        assertThat(SpatialConv.kernelOf("users_block_k3x3")).isNull();
        // whether the op library takes the kernel gradient is marked in the name too
        assertThat(SpatialConv.kernelOf("c.spatial_k2x3f_1")).containsExactly(2, 3);
        assertThat(SpatialConv.fusedFilterGrad("c.spatial_k2x3f_1")).isTrue();
        assertThat(SpatialConv.fusedFilterGrad("c.spatial_k2x3_1")).isFalse();
        assertThat(SpatialConv.fusedFilterGrad("Conv")).isFalse();
    }

    @Test
    void badArgumentsNameWhatWasExpected() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> x = tf.zeros(tf.constant(new int[] {1, 3, 3, 1}), TFloat32.class);
            assertThatThrownBy(() -> SpatialConv.conv(tf, options(), "c", x, x, 1, 1, 1, new int[] {0, 0}))
                    .hasMessageContaining("4 paddings").hasMessageContaining("found");
        }
    }
}
