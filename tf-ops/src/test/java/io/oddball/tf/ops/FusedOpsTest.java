package io.oddball.tf.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import io.oddball.tf.TfOptions;
import io.oddball.tf.kernels.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The fused ops against TensorFlow's stock ops: outputs, gradients, static shapes and bad shapes. */
class FusedOpsTest {
    private static final FusedOps LIBRARY = new FusedOps();
    private static final Kernels FUSED = Kernels.of(BuiltLibrary.ON);

    @BeforeAll
    static void libraryIsBuilt() {
        BuiltLibrary.check();
        assertThat(FUSED.fused()).as("the op library's kernels, found on the class path").isTrue();
    }

    /**
     * A graph of variables of the given shapes (Gaussian values, some exactly 0) and what {@code f} builds with the
     * op library's kernels or the stock ones.
     */
    private static List<float[]> run(boolean fused, List<long[]> shapes, BiFunction<Kernels,
            List<Operand<TFloat32>>, Operand<TFloat32>> f, long[] expectedShape) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            List<Operand<TFloat32>> in = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                long[] s = shapes.get(i);
                in.add(tf.variable(tf.constant(org.tensorflow.ndarray.Shape.of(s),
                        org.tensorflow.ndarray.buffer.DataBuffers.of(random((int) org.tensorflow.ndarray.Shape.of(s)
                                .size(), 10 + i)))));
            }
            Operand<TFloat32> y = f.apply(fused ? FUSED : Kernels.stock(), in);
            assertThat(y.shape().asArray()).as("static shape").containsExactly(expectedShape);
            Operand<TFloat32> r = tf.math.sin(tf.math.mul(tf.dtypes.cast(tf.range(tf.constant(0), tf.size(y),
                    tf.constant(1)), TFloat32.class), tf.constant(0.37f)));
            Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(tf.reshape(y, tf.constant(new int[] {-1})), r),
                    tf.constant(0));
            var grads = tf.gradients(loss, in);
            List<Operand<TFloat32>> dys = new ArrayList<>();
            for (int i = 0; i < in.size(); i++) {
                // one fetch per input, even where two inputs share one gradient tensor
                dys.add(tf.identity(grads.dy(i)));
            }
            try (Session s = new Session(g, Sessions.config())) {
                s.initialize();
                var runner = s.runner().fetch(y);
                for (int i = 0; i < in.size(); i++) {
                    runner.fetch(dys.get(i));
                }
                try (Result res = runner.run()) {
                    List<float[]> out = new ArrayList<>();
                    for (int i = 0; i <= in.size(); i++) {
                        out.add(Tensors.toFloats(Tensors.get(res, i, TFloat32.class)));
                    }
                    return out;
                }
            }
        }
    }

    @Test
    void runsTheBuildOfItsLoopsForThisCpuCappedByTheEnvironment() {
        // ODDBALL_OPS_ISA stands in for an older CPU (the AVX2 pass of .ci/run); never a wider build than the CPU has
        String cap = System.getenv("ODDBALL_OPS_ISA");
        String widest = io.oddball.tf.Cpu.read(java.nio.file.Path.of("/proc/cpuinfo"), null).isaClass();
        List<String> order = List.of("baseline", "avx2", "avx512");
        String expected = cap == null || order.indexOf(cap) > order.indexOf(widest) ? widest : cap;
        assertThat(LIBRARY.isa()).isEqualTo(expected);
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            // wide enough for σ and exp to saturate; exact zeros test elu's kink
            v[i] = i % 17 == 0 ? 0f : (float) (4 * r.nextGaussian());
        }
        return v;
    }

    private static void assertSame(List<long[]> shapes,
            BiFunction<Kernels, List<Operand<TFloat32>>, Operand<TFloat32>> f, long... expectedShape) {
        List<float[]> ours = run(true, shapes, f, expectedShape);
        List<float[]> stock = run(false, shapes, f, expectedShape);
        for (int i = 0; i < ours.size(); i++) {
            String what = i == 0 ? "output" : "gradient of input " + (i - 1);
            assertThat(ours.get(i)).as(what).hasSameSizeAs(stock.get(i));
            double scale = 0;
            for (float v : stock.get(i)) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertThat(scale).as(what).isPositive();
            for (int j = 0; j < stock.get(i).length; j++) {
                assertThat((double) ours.get(i)[j]).as("%s at %d", what, j)
                        .isCloseTo(stock.get(i)[j], within(1e-5 * scale));
            }
        }
    }

    @Test
    void concatEluOfOneInput() {
        // 2 × 3 × 5 rows of 37 channels: more than one thread's share, and a channel count no vector width divides
        assertSame(List.of(new long[] {2, 3, 5, 37}), (k, in) -> k.concatElu(Ops.create(in.get(0).env()), in),
                2, 3, 5, 74);
    }

    @Test
    void concatEluOfTwoInputsSplitsTheGradient() {
        assertSame(List.of(new long[] {4, 6, 6, 8}, new long[] {4, 6, 6, 3}),
                (k, in) -> k.concatElu(Ops.create(in.get(0).env()), in), 4, 6, 6, 22);
    }

    @Test
    void biasSumConcatElu() {
        assertSame(List.of(new long[] {3, 28, 28, 16}, new long[] {3, 28, 28, 16}, new long[] {16}),
                (k, in) -> k.biasSumConcatElu(Ops.create(in.get(0).env()), in.subList(0, 2), in.get(2)),
                3, 28, 28, 32);
        assertSame(List.of(new long[] {5, 7, 9}, new long[] {9}),
                (k, in) -> k.biasSumConcatElu(Ops.create(in.get(0).env()), in.subList(0, 1), in.get(1)),
                5, 7, 18);
    }

    @Test
    void biasSumConcatEluWithDropoutScales() {
        // channel-dropout factors 0 or 1/keep per instance and output channel, as PixelCnn draws them
        float[] scales = new float[3 * 32];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = i % 3 == 0 ? 0f : 1f / 0.7f;
        }
        assertSame(List.of(new long[] {3, 14, 14, 16}, new long[] {3, 14, 14, 16}, new long[] {16}), (k, in) -> {
            Ops tf = Ops.create(in.get(0).env());
            Operand<TFloat32> scale = tf.constant(org.tensorflow.ndarray.Shape.of(3, 1, 1, 32),
                    org.tensorflow.ndarray.buffer.DataBuffers.of(scales));
            return k.biasSumConcatElu(tf, in.subList(0, 2), in.get(2), scale);
        }, 3, 14, 14, 32);
    }

    @Test
    void gate() {
        assertSame(List.of(new long[] {3, 28, 28, 32}, new long[] {3, 28, 28, 64}, new long[] {64}),
                (k, in) -> k.gate(Ops.create(in.get(0).env()), in.get(0), in.get(1), in.get(2)), 3, 28, 28, 32);
        assertSame(List.of(new long[] {6, 5}, new long[] {6, 10}, new long[] {10}),
                (k, in) -> k.gate(Ops.create(in.get(0).env()), in.get(0), in.get(1), in.get(2)), 6, 5);
    }

    /** The fused kernel gradient and TensorFlow's Conv2DBackpropFilter of the zero-padded input, element by element. */
    private static void assertFilterGradSame(long[] xs, int kh, int kw, long f, long[] pads) {
        long ho = xs[1] + pads[0] + pads[1] - kh + 1;
        long wo = xs[2] + pads[2] + pads[3] - kw + 1;
        float[][] out = new float[2][];
        for (int fused = 0; fused < 2; fused++) {
            try (Graph g = new Graph()) {
                Ops tf = Ops.create(g);
                Operand<TFloat32> x = constant(tf, xs, 1);
                Operand<TFloat32> dy = constant(tf, new long[] {xs[0], ho, wo, f}, 2);
                Operand<TFloat32> w = tf.zeros(tf.constant(new long[] {kh, kw, xs[3], f}), TFloat32.class);
                Operand<TFloat32> dw = fused == 1
                        ? LIBRARY.convFilterGrad(tf, x, w, dy, pads)
                        : tf.nn.conv2dBackpropFilter(tf.pad(x, tf.constant(new long[][] {{0, 0}, {pads[0], pads[1]},
                                {pads[2], pads[3]}, {0, 0}}), tf.constant(0f)), tf.shape(w), dy,
                                List.of(1L, 1L, 1L, 1L), "VALID");
                if (fused == 1) {
                    assertThat(dw.op().type()).isEqualTo("OddballConvFilterGrad");
                }
                try (Session s = new Session(g, Sessions.config()); Result r = s.runner().fetch(dw).run()) {
                    out[fused] = Tensors.toFloats(Tensors.get(r, 0, TFloat32.class));
                }
            }
        }
        assertThat(out[1]).hasSize(kh * kw * (int) (xs[3] * f)).hasSameSizeAs(out[0]);
        double scale = 0;
        for (float v : out[0]) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertThat(scale).isPositive();
        for (int j = 0; j < out[0].length; j++) {
            assertThat((double) out[1][j]).as("kernel gradient at %d", j).isCloseTo(out[0][j], within(1e-5 * scale));
        }
    }

    private static Operand<TFloat32> constant(Ops tf, long[] shape, long seed) {
        org.tensorflow.ndarray.Shape s = org.tensorflow.ndarray.Shape.of(shape);
        return tf.constant(s, org.tensorflow.ndarray.buffer.DataBuffers.of(random((int) s.size(), seed)));
    }

    @Test
    void convFilterGradMatchesConv2dBackpropFilter() {
        // PixelCNN++'s down-shifted and down-right-shifted kernels at its channel counts (64 → 32 and 64 → 64) ...
        assertFilterGradSame(new long[] {5, 9, 10, 64}, 2, 3, 32, new long[] {1, 0, 1, 1});
        assertFilterGradSame(new long[] {5, 9, 10, 64}, 2, 2, 64, new long[] {1, 0, 1, 0});
        // ... and every tile path at once: 117 = 64 + 32 + 16 + 5 output channels, 21 input channels (tiles of 4 and
        // 8 with a rest), asymmetric padding larger than the kernel, a 1×1 kernel, no padding
        assertFilterGradSame(new long[] {3, 6, 7, 21}, 3, 3, 117, new long[] {2, 1, 0, 3});
        assertFilterGradSame(new long[] {4, 5, 5, 3}, 1, 1, 16, new long[] {0, 0, 0, 0});
        assertFilterGradSame(new long[] {1, 6, 4, 2}, 2, 2, 20, new long[] {0, 0, 0, 0});
    }

    @Test
    void convFilterGradChecksItsShapes() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> x = tf.placeholder(TFloat32.class);
            Operand<TFloat32> w = tf.zeros(tf.constant(new long[] {2, 3, 4, 8}), TFloat32.class);
            Operand<TFloat32> dy = tf.placeholder(TFloat32.class);
            assertThatThrownBy(() -> LIBRARY.convFilterGrad(tf, x, w, dy, new long[] {1, 0}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 paddings");
            Operand<TFloat32> dw = LIBRARY.convFilterGrad(tf, x, w, dy, new long[] {1, 0, 1, 1});
            assertThat(dw.shape().asArray()).as("static shape: the kernel's").containsExactly(2, 3, 4, 8);
            try (Session s = new Session(g, Sessions.config());
                    var a = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(2, 5, 5, 4));
                    var b = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(2, 5, 4, 8))) {
                assertThatThrownBy(() -> s.runner().feed(x, a).feed(dy, b).fetch(dw).run().close())
                        .isInstanceOf(TFInvalidArgumentException.class)
                        .hasMessageContaining("OddballConvFilterGrad")
                        .hasMessageContaining("[2, 5, 5, 4]")
                        .hasMessageContaining("[2, 5, 4, 8]")
                        .hasMessageContaining("[1, 0, 1, 1]");
            }
        }
    }

    @Test
    void spatialConvGradientUsesTheFusedKernelGradient() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> x = tf.variable(constant(tf, new long[] {2, 6, 6, 4}, 3));
            Operand<TFloat32> w = tf.variable(constant(tf, new long[] {2, 3, 4, 16}, 4));
            Operand<TFloat32> y = io.oddball.tf.layers.SpatialConv.conv(tf, BuiltLibrary.ON, "c", x, w, 2, 3,
                    1, new int[] {1, 0, 1, 1});
            tf.gradients(tf.reduceSum(y, tf.constant(new int[] {0, 1, 2, 3})), List.of(w));
            List<String> types = new ArrayList<>();
            g.operations().forEachRemaining(op -> types.add(op.type()));
            assertThat(types).contains("OddballConvFilterGrad").doesNotContain("Conv2DBackpropFilter", "PadV2", "Pad");
        }
    }

    @Test
    void mismatchedShapesFailWithTheShapes() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            // unknown shapes reach the kernel, which checks them
            Operand<TFloat32> og = tf.placeholder(TFloat32.class);
            Operand<TFloat32> y = tf.placeholder(TFloat32.class);
            Operand<TFloat32> z = LIBRARY.gate(tf, og, y, tf.constant(new float[6]));
            try (Session s = new Session(g, Sessions.config());
                    var a = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(2, 3));
                    var b = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(2, 5))) {
                assertThatThrownBy(() -> s.runner().feed(og, a).feed(y, b).fetch(z).run().close())
                        .isInstanceOf(TFInvalidArgumentException.class)
                        .hasMessageContaining("OddballGate")
                        .hasMessageContaining("[2, 3]")
                        .hasMessageContaining("[2, 5]");
            }
        }
    }

    @Test
    void concatEluNeedsAKnownChannelCount() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> x = tf.placeholder(TFloat32.class);
            assertThatThrownBy(() -> LIBRARY.concatElu(tf, List.of(x)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("known last dimension");
        }
    }

    @Test
    void theOpLibraryOffBuildsTheStockOps() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> x = tf.constant(new float[][] {{1, -2}});
            Operand<TFloat32> y = Kernels.of(TfOptions.defaults().withOpLibrary(TfOptions.OpLibraryUse.OFF))
                    .concatElu(tf, List.of(x));
            assertThat(y.op().type()).isEqualTo("Elu");
            assertThat(FUSED.concatElu(tf, List.of(x)).op().type()).isEqualTo("OddballConcatElu");
            try (Session s = new Session(g, Sessions.config());
                    Result r = s.runner().fetch(y).run()) {
                assertThat(Tensors.toFloats(Tensors.get(r, 0, TFloat32.class)))
                        .containsExactly(new float[] {1f, (float) Math.expm1(-2), (float) Math.expm1(-1), 2f},
                                within(1e-6f));
            }
        }
    }
}
