package io.oddball.tf.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Shape;
import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import io.oddball.tf.TfOptions;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class LayersTest {
    /**
     * The options the layers are built with: the environment's, as every test context's (the AVX2 test pass sets
     * {@code ODDBALL_OPS=on}); the op library's tests build with the library on.
     */
    TfOptions options() {
        return TfOptions.of(DetectorContext.simple());
    }

    /** Runs one layer on {@code x} ({@code n × in}) with {@code weights}, returning the output and checking its shape. */
    private float[] run(Layer layer, Shape in, int n, float[] x, Weights weights) {
        return run(layer, in, n, x, weights, Sessions.config(), options());
    }

    /**
     * As above in a session of {@code config}, built with {@code options}, ops placed on the CPU (graph rewrites such
     * as bfloat16 need it).
     */
    static float[] run(Layer layer, Shape in, int n, float[] x, Weights weights,
            org.tensorflow.proto.ConfigProto config, TfOptions options) {
        Shape out = layer.outputShape(in);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(io.oddball.tf.Devices.spec("cpu"));
            Placeholder<TFloat32> input = tf.placeholder(TFloat32.class);
            Sequential seq = new Sequential("l", List.of(layer));
            // Sequential names its weights l0_*: rebuild the specs under that prefix.
            ModelVariables seqVars = ModelVariables.create(tf, "s", seq.weights(in));
            // an identity after the layer: a rewrite leaves the fetched node itself alone
            Operand<TFloat32> y = tf.identity(seq.build(tf, input, in, seqVars, options));
            try (Session s = new Session(g, config)) {
                seqVars.assign(s, rename(weights, seq.weights(in)));
                long[] dims = longs(in.prepend(n));
                try (TFloat32 t = Tensors.floats(x, dims); Result r = s.runner().feed(input, t).fetch(y).run()) {
                    TFloat32 o = Tensors.get(r, 0, TFloat32.class);
                    assertThat(o.shape().asArray()).containsExactly(longs(out.prepend(n)));
                    return Tensors.toFloats(o);
                }
            }
        }
    }

    static Weights rename(Weights w, List<WeightSpec> specs) {
        List<float[]> arrays = new java.util.ArrayList<>();
        for (String name : w.names()) {
            float[] a = new float[(int) w.shape(name).size()];
            w.values(name).get(a);
            arrays.add(a);
        }
        return Weights.wrap(specs, arrays);
    }

    static long[] longs(Shape s) {
        long[] d = new long[s.rank()];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.dim(i);
        }
        return d;
    }

    static float[] random(int size, long seed) {
        Random r = new Random(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    static Weights weights(Layer layer, Shape in, long seed) {
        List<WeightSpec> specs = layer.weights("l", in);
        List<float[]> arrays = new java.util.ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            arrays.add(random((int) specs.get(i).shape().size(), seed + i));
        }
        return Weights.wrap(specs, arrays);
    }

    static float[] values(Weights w, String name) {
        float[] a = new float[(int) w.shape(name).size()];
        w.values(name).get(a);
        return a;
    }

    /** Reference convolution (NHWC, kernel [k,k,c,o]) with top/left padding {@code pad} in plain Java. */
    private static double[] conv(float[] x, int n, int h, int w, int c, float[] k, float[] b, int kk, int o,
            int stride, int pad, int ho, int wo) {
        double[] out = new double[n * ho * wo * o];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < ho; y++) {
                for (int z = 0; z < wo; z++) {
                    for (int f = 0; f < o; f++) {
                        double s = b[f];
                        for (int a = 0; a < kk; a++) {
                            for (int d = 0; d < kk; d++) {
                                int yy = y * stride - pad + a;
                                int zz = z * stride - pad + d;
                                if (yy < 0 || zz < 0 || yy >= h || zz >= w) {
                                    continue;
                                }
                                for (int ch = 0; ch < c; ch++) {
                                    s += x[((i * h + yy) * w + zz) * c + ch] * k[((a * kk + d) * c + ch) * o + f];
                                }
                            }
                        }
                        out[((i * ho + y) * wo + z) * o + f] = s;
                    }
                }
            }
        }
        return out;
    }

    /** Reference transposed convolution (kernel [k,k,o,c]): input pixel (y,z) adds to output (y·s − pad + a, ...). */
    private static double[] convTranspose(float[] x, int n, int h, int w, int c, float[] k, float[] b, int kk, int o,
            int stride, int pad, int ho, int wo) {
        double[] out = new double[n * ho * wo * o];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < ho; y++) {
                for (int z = 0; z < wo; z++) {
                    for (int f = 0; f < o; f++) {
                        out[((i * ho + y) * wo + z) * o + f] = b[f];
                    }
                }
            }
            for (int y = 0; y < h; y++) {
                for (int z = 0; z < w; z++) {
                    for (int a = 0; a < kk; a++) {
                        for (int d = 0; d < kk; d++) {
                            int yy = y * stride - pad + a;
                            int zz = z * stride - pad + d;
                            if (yy < 0 || zz < 0 || yy >= ho || zz >= wo) {
                                continue;
                            }
                            for (int f = 0; f < o; f++) {
                                for (int ch = 0; ch < c; ch++) {
                                    out[((i * ho + yy) * wo + zz) * o + f] += x[((i * h + y) * w + z) * c + ch]
                                            * k[((a * kk + d) * o + f) * c + ch];
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The layer in the bfloat16 rewrite is within 2 % of the expected output's range (bfloat16 keeps 8 bits). */
    private void assertCloseInBfloat16(Layer layer, Shape in, int n, float[] x, Weights w, double[] expected) {
        TfOptions bfloat16 = options().withPrecision(TfOptions.Precision.BFLOAT16);
        float[] bf16 = run(layer, in, n, x, w, Sessions.inferenceConfig(bfloat16), bfloat16);
        double range = 0;
        for (double e : expected) {
            range = Math.max(range, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) bf16[i]).as("%s in bfloat16, value %d", layer, i).isCloseTo(expected[i],
                    within(0.02 * range));
        }
    }

    private static void assertClose(float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("value %d", i).isCloseTo(expected[i], within(1e-4));
        }
    }

    @Test
    void denseComputesXTimesKernelPlusBiasThenActivation() {
        Dense d = new Dense(3, Activation.RELU);
        Shape in = Shape.of(4);
        Weights w = weights(d, in, 1);
        float[] x = random(2 * 4, 9);
        float[] y = run(d, in, 2, x, w);
        float[] k = values(w, "l_kernel");
        float[] b = values(w, "l_bias");
        double[] expected = new double[6];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double s = b[j];
                for (int c = 0; c < 4; c++) {
                    s += x[i * 4 + c] * k[c * 3 + j];
                }
                expected[i * 3 + j] = Math.max(0, s);
            }
        }
        assertClose(y, expected);
    }

    @Test
    void conv2dSameMatchesKerasPaddingAndExplicitMatchesPyTorch() {
        Shape in = Shape.of(6, 6, 2);
        float[] x = random(2 * 72, 3);
        // Keras same, k4 s2 on 6: output 3, total padding 2, top 1.
        Conv2D same = new Conv2D(3, 4, 2, Padding.same(), Activation.LINEAR);
        assertThat(same.outputShape(in)).isEqualTo(Shape.of(3, 3, 3));
        Weights w = weights(same, in, 4);
        assertClose(run(same, in, 2, x, w), conv(x, 2, 6, 6, 2, values(w, "l_kernel"), values(w, "l_bias"), 4, 3, 2,
                1, 3, 3));
        // PyTorch padding 1, k3 s2 on 6: output 3, windows start at -1.
        Conv2D torch = new Conv2D(3, 3, 2, Padding.explicit(1), Activation.LINEAR);
        assertThat(torch.outputShape(in)).isEqualTo(Shape.of(3, 3, 3));
        Weights w2 = weights(torch, in, 5);
        assertClose(run(torch, in, 2, x, w2), conv(x, 2, 6, 6, 2, values(w2, "l_kernel"), values(w2, "l_bias"), 3, 3,
                2, 1, 3, 3));
    }

    @Test
    void conv2dOnOddChannelCountsIsRightInFloat32AndInTheBfloat16Rewrite() {
        for (int c : new int[] {3, 5}) {
            Shape in = Shape.of(8, 8, c);
            float[] x = random(4 * 64 * c, 10 + c);
            Conv2D conv = new Conv2D(16, 4, 2, Padding.same(), Activation.LINEAR);
            Weights w = weights(conv, in, 20 + c);
            double[] expected = conv(x, 4, 8, 8, c, values(w, "l_kernel"), values(w, "l_bias"), 4, 16, 2, 1, 4, 4);
            assertClose(run(conv, in, 4, x, w), expected);
            // oneDNN's bfloat16 convolution was wrong by up to half the output for odd channel counts above 1 on
            // AVX512_BF16 CPUs; Conv2D pads such inputs to an even count. bfloat16 keeps 8 bits: 2 % of the range.
            assertCloseInBfloat16(conv, in, 4, x, w, expected);
        }
    }

    @Test
    void wideStridedConv2dByMatrixProductMatchesTheReferenceForEveryShapeAndPadding() {
        // (h, w, channels, kernel, stride, padding, top/left padding of the reference): 4×4 stride 2 as in the CIFAR
        // encoders, odd sizes, an input row the output never reads (11 → 4), a kernel equal to the stride, stride 3
        Object[][] cases = {{8, 8, 64, 4, 2, Padding.same(), 1}, {7, 9, 64, 4, 2, Padding.same(), 1},
            {11, 10, 64, 4, 2, Padding.explicit(0), 0}, {9, 9, 64, 4, 2, Padding.explicit(1), 1},
            {6, 6, 64, 2, 2, Padding.same(), 0}, {9, 9, 32, 6, 3, Padding.explicit(1), 1}};
        for (Object[] c : cases) {
            int h = (Integer) c[0];
            int w = (Integer) c[1];
            int ch = (Integer) c[2];
            int k = (Integer) c[3];
            int stride = (Integer) c[4];
            Shape in = Shape.of(h, w, ch);
            Conv2D layer = new Conv2D(128, k, stride, (Padding) c[5], Activation.RELU);
            assertThat(layer.byMatMul(in, options())).as("%s on %s takes the matrix-product path", layer, in)
                    .isTrue();
            Shape out = layer.outputShape(in);
            float[] x = random(2 * h * w * ch, 30 + h);
            Weights wt = weights(layer, in, 40 + k);
            double[] expected = conv(x, 2, h, w, ch, values(wt, "l_kernel"), values(wt, "l_bias"), k, 128, stride,
                    (Integer) c[6], out.dim(0), out.dim(1));
            for (int i = 0; i < expected.length; i++) {
                expected[i] = Math.max(0, expected[i]);
            }
            float[] actual = run(layer, in, 2, x, wt);
            assertThat(actual).as("%s", layer).hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) actual[i]).as("%s on %s, value %d", layer, in, i).isCloseTo(expected[i],
                        within(1e-3));
            }
            if (h == 8) {
                assertCloseInBfloat16(layer, in, 2, x, wt, expected);
            }
        }
        assertThat(new Conv2D(64, 4, 2, Padding.same(), Activation.RELU).byMatMul(Shape.of(32, 32, 3), options()))
                .isFalse();
        assertThat(new Conv2D(128, 3, 2, Padding.explicit(1), Activation.RELU).byMatMul(Shape.of(8, 8, 64),
                options())).isFalse();
    }

    @Test
    void matrixProductConvolutionsAndTrainingDenseHaveTheGradientsOfTensorFlowsOwnOps() {
        // the same loss through both builds of each layer: gradients with respect to input, kernel and bias agree;
        // a wide Dense builds (xᵀ)ᵀ · kernel in a training graph, x · kernel otherwise (and with the variant)
        Object[][] cases = {{new Conv2D(128, 4, 2, Padding.same(), Activation.RELU), Shape.of(8, 8, 64),
            TfOptions.Variant.DIRECT_CONV},
            {new Conv2DTranspose(64, 4, 2, Padding.same(), Activation.RELU), Shape.of(4, 4, 32),
                TfOptions.Variant.BACKPROP_TRANSPOSED_CONV},
            {new Conv2DTranspose(8, 6, 3, Padding.explicit(1, 0), Activation.LINEAR), Shape.of(3, 4, 16),
                TfOptions.Variant.BACKPROP_TRANSPOSED_CONV},
            {new Dense(1024, Activation.RELU), Shape.of(128), TfOptions.Variant.PLAIN_DENSE}};
        for (Object[] c : cases) {
            Layer layer = (Layer) c[0];
            Shape in = (Shape) c[1];
            float[] x = random(2 * (int) in.size(), 50);
            Weights w = weights(layer, in, 51);
            List<float[]> ours = gradients(layer, in, 2, x, w, true, options());
            List<float[]> tfs = gradients(layer, in, 2, x, w, true, options().with((TfOptions.Variant) c[2]));
            assertSameGradients(layer.toString(), ours, tfs);
        }
    }

    @Test
    void trainingAndFloat32InferenceGraphsComputeTheSameOutputsAndGradientsAsTheStockOps() {
        // a training graph cuts a strided convolution's patches with Oddball's op library (OddballPatches and its
        // gradient) where it loads, sums a transposed convolution's products into place with the gradient op (bias
        // and activation in the same pass),
        // leaves out the zero channel of odd channel counts, and builds a wide Dense as (xᵀ)ᵀ · kernel; a float32
        // inference graph uses the same ops of the library: the same values as the stock ops (the graph exported as
        // a SavedModel, the op library off), across the geometries of the matrix-product convolutions (odd
        // sizes, an input row the output never reads, a kernel equal to the stride, stride 3, a kernel that is no
        // multiple of the stride, output padding)
        Object[][] cases = {{new Conv2D(128, 4, 2, Padding.same(), Activation.RELU), Shape.of(8, 8, 64)},
            {new Conv2D(128, 4, 2, Padding.same(), Activation.LINEAR), Shape.of(7, 9, 64)},
            {new Conv2D(128, 4, 2, Padding.explicit(0), Activation.RELU), Shape.of(11, 10, 64)},
            {new Conv2D(128, 4, 2, Padding.explicit(1), Activation.LINEAR), Shape.of(9, 9, 64)},
            {new Conv2D(128, 2, 2, Padding.same(), Activation.RELU), Shape.of(6, 6, 64)},
            {new Conv2D(128, 6, 3, Padding.explicit(1), Activation.LINEAR), Shape.of(9, 9, 32)},
            {new Conv2D(16, 4, 2, Padding.same(), Activation.RELU), Shape.of(8, 8, 3)},
            {new Conv2DTranspose(64, 4, 2, Padding.same(), Activation.RELU), Shape.of(4, 4, 32)},
            {new Conv2DTranspose(3, 4, 2, Padding.same(), Activation.SIGMOID), Shape.of(5, 7, 16)},
            {new Conv2DTranspose(8, 6, 3, Padding.explicit(1, 0), Activation.LINEAR), Shape.of(3, 4, 16)},
            {new Conv2DTranspose(8, 3, 2, Padding.explicit(1, 1), Activation.LINEAR), Shape.of(4, 5, 16)},
            {new Conv2DTranspose(8, 2, 2, Padding.explicit(0, 0), Activation.RELU), Shape.of(4, 4, 16)},
            {new Conv2DTranspose(8, 4, 2, Padding.same(), Activation.ELU), Shape.of(4, 4, 16)},
            {new Dense(1024, Activation.RELU), Shape.of(128)}};
        for (Object[] c : cases) {
            Layer layer = (Layer) c[0];
            Shape in = (Shape) c[1];
            float[] x = random(3 * (int) in.size(), 60);
            Weights w = weights(layer, in, 61);
            List<float[]> stock = gradients(layer, in, 3, x, w, false,
                    options().withOpLibrary(TfOptions.OpLibraryUse.OFF));
            assertSameGradients(layer + " on " + in + ", training graph", gradients(layer, in, 3, x, w, true,
                    options()), stock);
            // inference graphs take no gradients (their Winograd ops have none): the output alone
            assertSameGradients(layer + " on " + in + ", inference graph", List.of(stock.get(0), stock.get(1),
                    stock.get(2), run(layer, in, 3, x, w, Sessions.config(), options())), stock);
        }
    }

    /**
     * The gradients with respect to input, kernel and bias and the output ({@link #gradients}) agree with the
     * reference's to 1e-4 of each one's range, and none of the reference's is all zeros.
     */
    private static void assertSameGradients(String what, List<float[]> ours, List<float[]> reference) {
        String[] names = {"d/dinput", "d/dkernel", "d/dbias", "output"};
        for (int g = 0; g < 4; g++) {
            float[] a = ours.get(g);
            float[] b = reference.get(g);
            double range = 0;
            for (float v : b) {
                range = Math.max(range, Math.abs(v));
            }
            assertThat(range).as("%s: %s is not all zeros", what, names[g]).isGreaterThan(0);
            assertThat(a).as("%s: %s", what, names[g]).hasSameSizeAs(b);
            for (int i = 0; i < a.length; i++) {
                assertThat((double) a[i]).as("%s: %s, value %d", what, names[g], i).isCloseTo(b[i],
                        within(1e-4 * range));
            }
        }
    }

    /**
     * Gradients of {@code sum(layer(x) · r)} (r fixed noise) with respect to x, the kernel and the bias, then the
     * output, the layer built for a training graph or not, with {@code options}.
     */
    private static List<float[]> gradients(Layer layer, Shape in, int n, float[] x, Weights weights,
            boolean training, TfOptions options) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(io.oddball.tf.Devices.spec("cpu"));
            Placeholder<TFloat32> input = tf.placeholder(TFloat32.class);
            Sequential seq = new Sequential("l", List.of(layer));
            ModelVariables created = ModelVariables.create(tf, "s", seq.weights(in));
            ModelVariables vars = training ? created.forTraining() : created;
            Operand<TFloat32> y = seq.build(tf, input, in, vars, options);
            long size = layer.outputShape(in).size() * n;
            Operand<TFloat32> r = tf.reshape(tf.constant(random((int) size, 52)), tf.shape(y));
            Operand<TFloat32> loss = tf.reduceSum(tf.reshape(tf.math.mul(y, r), tf.constant(new int[] {-1})),
                    tf.constant(0));
            List<Operand<TFloat32>> wrt = List.of(input, vars.variables().get(0), vars.variables().get(1));
            org.tensorflow.op.core.Gradients grads = tf.gradients(loss, wrt);
            try (Session s = new Session(g, Sessions.config())) {
                vars.assign(s, rename(weights, seq.weights(in)));
                try (TFloat32 t = Tensors.floats(x, longs(in.prepend(n)))) {
                    Session.Runner runner = s.runner().feed(input, t);
                    for (int i = 0; i < 3; i++) {
                        runner.fetch(grads.dy(i));
                    }
                    runner.fetch(y);
                    try (Result res = runner.run()) {
                        List<float[]> out = new java.util.ArrayList<>();
                        for (int i = 0; i < 4; i++) {
                            out.add(Tensors.toFloats(Tensors.get(res, i, TFloat32.class)));
                        }
                        return out;
                    }
                }
            }
        }
    }

    @Test
    void conv2dTransposeSameDoublesAndExplicitMatchesPyTorchOutputPadding() {
        Shape in = Shape.of(3, 3, 2);
        float[] x = random(2 * 18, 6);
        Conv2DTranspose same = new Conv2DTranspose(4, 4, 2, Padding.same(), Activation.LINEAR);
        assertThat(same.outputShape(in)).isEqualTo(Shape.of(6, 6, 4));
        Weights w = weights(same, in, 7);
        assertClose(run(same, in, 2, x, w), convTranspose(x, 2, 3, 3, 2, values(w, "l_kernel"), values(w, "l_bias"),
                4, 4, 2, 1, 6, 6));
        Conv2DTranspose torch = new Conv2DTranspose(4, 3, 2, Padding.explicit(1, 1), Activation.LINEAR);
        assertThat(torch.outputShape(in)).isEqualTo(Shape.of(6, 6, 4));
        Weights w2 = weights(torch, in, 8);
        assertClose(run(torch, in, 2, x, w2), convTranspose(x, 2, 3, 3, 2, values(w2, "l_kernel"),
                values(w2, "l_bias"), 3, 4, 2, 1, 6, 6));
        Conv2DTranspose extra = new Conv2DTranspose(4, 3, 2, Padding.explicit(0, 1), Activation.LINEAR);
        assertThat(extra.outputShape(in)).isEqualTo(Shape.of(8, 8, 4));
        Weights w3 = weights(extra, in, 9);
        assertClose(run(extra, in, 2, x, w3), convTranspose(x, 2, 3, 3, 2, values(w3, "l_kernel"),
                values(w3, "l_bias"), 3, 4, 2, 0, 8, 8));
    }

    @Test
    void conv2dTransposeByMatrixProductMatchesTheReferenceForEveryKernelStrideAndPadding() {
        // (kernel, stride, padding): the matrix-product path (stride > 1, kernel >= stride) and the oneDNN one
        Shape in = Shape.of(3, 4, 2);
        float[] x = random(2 * 24, 11);
        Object[][] cases = {{4, 2, Padding.same(), 1}, {3, 2, Padding.same(), 0}, {2, 2, Padding.same(), 0},
            {5, 3, Padding.same(), 1}, {5, 3, Padding.explicit(2, 1), 2}, {6, 3, Padding.explicit(1, 0), 1},
            {3, 1, Padding.same(), 1},
            {1, 2, Padding.same(), 0}};
        for (Object[] c : cases) {
            int k = (Integer) c[0];
            int stride = (Integer) c[1];
            Conv2DTranspose layer = new Conv2DTranspose(3, k, stride, (Padding) c[2], Activation.LINEAR);
            Shape out = layer.outputShape(in);
            Weights w = weights(layer, in, 12 + k);
            float[] actual = run(layer, in, 2, x, w);
            double[] expected = convTranspose(x, 2, 3, 4, 2, values(w, "l_kernel"), values(w, "l_bias"), k, 3,
                    stride, (Integer) c[3], out.dim(0), out.dim(1));
            assertThat(actual).as("%s", layer).hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) actual[i]).as("%s, value %d", layer, i).isCloseTo(expected[i], within(1e-4));
            }
        }
        // the CIFAR decoder's last layer, 64 channels to 3, in float32 and in the bfloat16 rewrite
        Shape wide = Shape.of(4, 4, 64);
        float[] xw = random(2 * 4 * 4 * 64, 13);
        Conv2DTranspose last = new Conv2DTranspose(3, 4, 2, Padding.same(), Activation.LINEAR);
        Weights ww = weights(last, wide, 14);
        double[] expected = convTranspose(xw, 2, 4, 4, 64, values(ww, "l_kernel"), values(ww, "l_bias"), 4, 3, 2, 1,
                8, 8);
        assertClose(run(last, wide, 2, xw, ww), expected);
        assertCloseInBfloat16(last, wide, 2, xw, ww, expected);
    }

    @Test
    void flattenReshapeAndShapeErrors() {
        Sequential s = Sequential.of("m", new Flatten(), new Dense(12, Activation.SIGMOID),
                new Reshape(Shape.of(2, 2, 3)), new Conv2DTranspose(1, 2, 2, Padding.same(), Activation.LINEAR));
        assertThat(s.outputShape(Shape.of(4, 4, 1))).isEqualTo(Shape.of(4, 4, 1));
        assertThat(s.weights(Shape.of(4, 4, 1))).extracting(WeightSpec::name)
                .containsExactly("m1_kernel", "m1_bias", "m3_kernel", "m3_bias");
        assertThatThrownBy(() -> new Dense(3, Activation.RELU).outputShape(Shape.of(2, 2)))
                .hasMessageContaining("expected vector input, found 2x2");
        assertThatThrownBy(() -> new Reshape(Shape.of(5)).outputShape(Shape.of(4)))
                .hasMessageContaining("expected 5 values, found 4");
        assertThatThrownBy(() -> new Conv2D(3, 3, 1, Padding.same(), Activation.RELU).outputShape(Shape.of(9)))
                .hasMessageContaining("expected H×W×C input, found 9");
    }
}
