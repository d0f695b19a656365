package io.oddball.tf.layers;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
import io.oddball.tf.Sessions;
import io.oddball.tf.TfOptions;
import io.oddball.tf.kernels.Kernels;
import io.oddball.tf.kernels.OpLibrary;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A 2-D convolution on {@code H×W×C} instances with a square {@code kernel}, equal strides and {@link Padding};
 * kernel {@code [k, k, C, filters]} Glorot-uniform, bias zeros. Explicit padding zero-pads then convolves VALID,
 * exactly as PyTorch's {@code Conv2d}.
 *
 * @param filters output channels
 * @param kernel kernel height and width
 * @param stride stride in both directions
 * @param padding Keras {@code same} or PyTorch explicit
 * @param activation applied to the output
 */
public record Conv2D(int filters, int kernel, int stride, Padding padding, Activation activation) implements Layer {
    public Conv2D {
        requireNonNull(padding, "padding is null");
        requireNonNull(activation, "activation is null");
        if (filters < 1 || kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("conv2d: expected filters, kernel and stride >= 1, found " + filters
                    + ", " + kernel + ", " + stride);
        }
        if (padding.outputPadding() != 0) {
            throw new IllegalArgumentException("conv2d: output padding applies to transposed convolutions only");
        }
    }

    @Override
    public Shape outputShape(Shape in) {
        checkImage(in, toString());
        return Shape.of(size(in.dim(0)), size(in.dim(1)), filters);
    }

    private int size(int in) {
        if (padding.kerasSame()) {
            return (in + stride - 1) / stride;
        }
        int padded = in + 2 * padding.padding();
        if (padded < kernel) {
            throw new IllegalArgumentException(this + ": input of size " + in + " is smaller than the kernel");
        }
        return (padded - kernel) / stride + 1;
    }

    @Override
    public List<WeightSpec> weights(String prefix, Shape in) {
        checkImage(in, toString());
        return List.of(
                new WeightSpec(prefix + "_kernel", Shape.of(kernel, kernel, in.dim(2), filters),
                        Initializer.glorotUniform()),
                new WeightSpec(prefix + "_bias", Shape.of(filters), Initializer.zeros()));
    }

    /** The inference form with the {@linkplain TfOptions#defaults() default options}. */
    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights) {
        return build(tf, x, in, weights, false, TfOptions.defaults());
    }

    /**
     * As {@link #build(Ops, Operand, Shape, List)}. Where {@code options} use Oddball's op library, a training graph
     * and a float32 inference graph ({@link #fusedPatches}) build every strided convolution as the library's patches
     * op and one matrix product. A training graph also leaves out the zero channel that an inference graph adds to an
     * odd channel count for TensorFlow's own convolution (it is there only for the bfloat16 rewrite of inference,
     * which training graphs never get). A float32 inference graph builds a wide 4×4 stride-2 convolution
     * ({@link #byWinograd(Shape, TfOptions)}) in Winograd form for batches of {@link #WINOGRAD_MIN_BATCH} instances or
     * more and as the patches' product below. The same values either way, up to float rounding. With
     * {@link TfOptions.Variant#DIRECT_CONV} ({@code tf.conv=direct}) every convolution is TensorFlow's {@code Conv2D};
     * with {@link TfOptions.Variant#PATCHES_CONV} ({@code tf.conv=patches}) no Winograd form.
     */
    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights,
            boolean training, TfOptions options) {
        Kernels fused = fusedPatches(training, options);
        if (!training && fused != null && byWinograd(in, options)) {
            // the kernel's transform costs the same at any batch size: Winograd from WINOGRAD_MIN_BATCH images on,
            // the patches below it (Switch and Merge: only the branch taken runs, the kernel's transform included)
            Operand<TFloat32> batch = tf.dtypes.cast(tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(
                    new int[] {1})), TFloat32.class);
            Operand<org.tensorflow.types.TBool> large = tf.reshape(tf.math.greaterEqual(batch, tf.constant(
                    (float) WINOGRAD_MIN_BATCH)), tf.constant(new int[0]));
            org.tensorflow.op.core.SwitchCond<TFloat32> xs = tf.switchCond(x, large);
            org.tensorflow.op.core.SwitchCond<TFloat32> ks = tf.switchCond(weights.get(0), large);
            Operand<TFloat32> y = byWinograd(tf, xs.outputTrue(), in, ks.outputTrue(), weights.get(1), fused);
            if (y != null) {
                Operand<TFloat32> small = byMatMul(tf, xs.outputFalse(), in, ks.outputFalse(), weights.get(1),
                        fused);
                return tf.reshape(tf.merge(List.of(small, y)).output(), tf.constant(new long[] {-1,
                    outputShape(in).dim(0), outputShape(in).dim(1), filters}));
            }
        }
        if (byMatMul(in, options) || (fused != null && stride > 1 && !options.has(TfOptions.Variant.DIRECT_CONV))) {
            return byMatMul(tf, x, in, weights.get(0), weights.get(1), fused);
        }
        Operand<TFloat32> input = x;
        if (!padding.kerasSame() && padding.padding() > 0) {
            int p = padding.padding();
            input = tf.pad(x, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(0f));
        }
        Operand<TFloat32> kernelWeights = weights.get(0);
        if (!training && in.dim(2) > 1 && in.dim(2) % 2 == 1) {
            // One zero channel more (and a zero kernel slice): the same sums, but oneDNN's bfloat16 convolution
            // (the --precision bfloat16 rewrite) gives wrong results for an odd channel count above 1 (RGB: 3) on
            // AVX512_BF16 CPUs, off by up to half the output; even counts and 1 are right (Conv2DTest).
            input = tf.pad(input, tf.constant(new int[][] {{0, 0}, {0, 0}, {0, 0}, {0, 1}}), tf.constant(0f));
            kernelWeights = tf.pad(kernelWeights, tf.constant(new int[][] {{0, 0}, {0, 0}, {0, 1}, {0, 0}}),
                    tf.constant(0f));
        }
        Operand<TFloat32> y = tf.nn.conv2d(input, kernelWeights, List.of(1L, (long) stride, (long) stride, 1L),
                padding.kerasSame() ? "SAME" : "VALID");
        return activation.apply(tf, tf.nn.biasAdd(y, weights.get(1)));
    }

    /**
     * Whether this convolution on {@code in} is built as a matrix product ({@link #byMatMul(Ops, Operand, Shape,
     * Operand)}): strided, the kernel a multiple of the stride, and wide enough that the product outweighs the copy
     * of the patches ({@code stride²·C ≥ 256} and {@code filters ≥ 128}; below that oneDNN's direct kernel is as fast
     * or faster on CPU, bench/RESULTS.md). {@link TfOptions.Variant#DIRECT_CONV} keeps the direct kernel everywhere.
     */
    boolean byMatMul(Shape in, TfOptions options) {
        return stride > 1 && kernel % stride == 0 && (long) stride * stride * in.dim(2) >= 256 && filters >= 128
                && !options.has(TfOptions.Variant.DIRECT_CONV);
    }

    /**
     * Whether a float32 inference graph with the op library builds this convolution on {@code in} in Winograd form
     * ({@link #byWinograd(Ops, Operand, Shape, Operand, Operand, Kernels)}): a 4×4 kernel at stride 2, wide as
     * {@link #byMatMul(Shape, TfOptions)} asks, not {@link TfOptions.Variant#PATCHES_CONV} or
     * {@link TfOptions.Variant#DIRECT_CONV}.
     */
    boolean byWinograd(Shape in, TfOptions options) {
        return kernel == 4 && stride == 2 && byMatMul(in, options) && !options.has(TfOptions.Variant.PATCHES_CONV);
    }

    /**
     * The same convolution in Winograd form F(2×2, 2×2), for inference: cut into 2 × 2 blocks the input makes a 4×4
     * stride-2 convolution a 2×2 stride-1 one over {@code 4·C} channels, and each 2 × 2 tile of the output is
     * {@code Aᵀ[(Bᵀ d B) ⊙ (G g Gᵀ)]A} of its 3 × 3 blocks {@code d} and the kernel's 2 × 2 blocks {@code g}: the
     * op library transforms the input ({@link OpLibrary#winogradInput}, {@code [9, N·T, 4C]}), nine matrix products
     * ({@code BatchMatMulV2}) with the transformed kernel ({@code [9, 4C, filters]}, below) take 9 multiplications
     * per tile where the patches' product takes 16, and the library's output transform adds the bias and the
     * activation ({@link OpLibrary#winogradOutput}). The same values up to float rounding (the transforms only add
     * and subtract); null where the library has no such ops.
     */
    private Operand<TFloat32> byWinograd(Ops tf, Operand<TFloat32> x, Shape in, Operand<TFloat32> kernelWeights,
            Operand<TFloat32> bias, Kernels fused) {
        Shape out = outputShape(in);
        int c = in.dim(2);
        int top = paddingBefore(in.dim(0), out.dim(0));
        int left = paddingBefore(in.dim(1), out.dim(1));
        Operand<TFloat32> u = fused.winogradInput(tf, x, top, left, out.dim(0), out.dim(1), in.dim(0), in.dim(1));
        if (u == null) {
            return null;
        }
        // kernel [(i, dy), (j, dx), c, o] → blocks g[i, j] of rows (dy, dx, c), the input transform's channels
        long blockRows = 4L * c;
        Operand<TFloat32> g = tf.reshape(tf.linalg.transpose(tf.reshape(kernelWeights, tf.constant(new long[] {2, 2,
            2, 2, c, filters})), tf.constant(new int[] {0, 2, 1, 3, 4, 5})), tf.constant(new long[] {4,
                blockRows * filters}));
        // V[3k + l] = Σ_{i, j} G[k][i]·G[l][j]·g[2i + j], G = [1 0; 1 1; 0 1]
        Operand<TFloat32> v = tf.reshape(tf.linalg.matMul(tf.constant(WINOGRAD_KERNEL), g), tf.constant(new long[] {9,
            blockRows, filters}));
        Operand<TFloat32> m = tf.train.batchMatMul(u, v, TFloat32.class);
        Operand<TFloat32> y = fused.winogradOutput(tf, m, bias, activation.yamlName(), top, left, out.dim(0),
                out.dim(1), in.dim(0), in.dim(1));
        return y == null ? null : tf.reshape(y, tf.constant(new long[] {-1, out.dim(0), out.dim(1), filters}));
    }

    /** The zero rows (or columns) before an input of {@code size} whose output has {@code outSize}. */
    private int paddingBefore(int size, int outSize) {
        return padding.kerasSame() ? Math.max((outSize - 1) * stride + kernel - size, 0) / 2 : padding.padding();
    }

    /**
     * The batch size from which an inference graph runs {@link #byWinograd} (below it the patches' product): the
     * kernel's transform costs the same at any batch size, and the nine products' rows are the batch's tiles, too few
     * below it to run at full speed. Measured (bench/RESULTS.md, AMD Zen 4 native and capped at AVX2): the
     * {@code alibi-cifar10} autoencoder gained from 64 images on in both classes and lost natively at 32.
     */
    static final int WINOGRAD_MIN_BATCH = 64;

    /** G ⊗ G of Winograd F(2, 2), {@code G = [1 0; 1 1; 0 1]}: row {@code 3k + l}, column {@code 2i + j}. */
    private static final float[][] WINOGRAD_KERNEL = winogradKernel();

    private static float[][] winogradKernel() {
        int[][] g = {{1, 0}, {1, 1}, {0, 1}};
        float[][] kron = new float[9][4];
        for (int k = 0; k < 3; k++) {
            for (int l = 0; l < 3; l++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        kron[3 * k + l][2 * i + j] = g[k][i] * g[l][j];
                    }
                }
            }
        }
        return kron;
    }

    /**
     * The same convolution as space-to-depth and one matrix product, about twice as fast on CPU as oneDNN's direct
     * kernel (forward and both gradients) for the wide 4×4 stride-2 layers of the CIFAR autoencoders: with
     * {@code q = kernel / stride}, the zero-padded input cut into {@code stride × stride} blocks ({@code SpaceToDepth},
     * channels {@code (dy, dx, c)}) makes output pixel {@code (m, n)} a sum over the {@code q × q} blocks
     * {@code (m + i, n + j)}: {@code q²} shifted slices side by side give each output pixel its
     * {@code kernel²·C} patch, and {@code [N·Ho·Wo, kernel²·C] × [kernel²·C, filters]} is the convolution.
     */
    private Operand<TFloat32> byMatMul(Ops tf, Operand<TFloat32> x, Shape in, Operand<TFloat32> kernelWeights,
            Operand<TFloat32> bias, Kernels fusedPatches) {
        Shape out = outputShape(in);
        int c = in.dim(2);
        int q = kernel / stride;
        int top = paddingBefore(in.dim(0), out.dim(0));
        int left = paddingBefore(in.dim(1), out.dim(1));
        long rows = (long) kernel * kernel * c;
        // the patches in one pass of Oddball's op library (its gradient too): channels (ky, kx, c), the kernel's
        // own order
        Operand<TFloat32> fused = fusedPatches == null ? null : fusedPatches.patches(tf, x, kernel, stride, top, left,
                out.dim(0), out.dim(1), in.dim(0), in.dim(1));
        if (fused != null) {
            Operand<TFloat32> y = activation.apply(tf, tf.nn.biasAdd(tf.linalg.matMul(tf.reshape(fused,
                    tf.constant(new long[] {-1, rows})), tf.reshape(kernelWeights, tf.constant(new long[] {rows,
                        filters}))), bias));
            return tf.reshape(y, tf.constant(new long[] {-1, out.dim(0), out.dim(1), filters}));
        }
        // rows [−top, (Ho + q − 1)·stride − top) of the input: exactly the rows the output reads, zero outside
        int needH = (out.dim(0) + q - 1) * stride;
        int needW = (out.dim(1) + q - 1) * stride;
        int bottom = needH - in.dim(0) - top;
        int right = needW - in.dim(1) - left;
        Operand<TFloat32> padded = x;
        if (top > 0 || left > 0 || bottom > 0 || right > 0) {
            padded = tf.pad(x, tf.constant(new int[][] {{0, 0}, {top, Math.max(bottom, 0)}, {left, Math.max(right, 0)},
                {0, 0}}), tf.constant(0f));
        }
        if (bottom < 0 || right < 0) {
            padded = tf.slice(padded, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1, needH, needW,
                c}));
        }
        Operand<TFloat32> blocks = tf.nn.spaceToDepth(padded, (long) stride);
        Operand<TFloat32> patches = blocks;
        if (q > 1) {
            List<Operand<TFloat32>> shifted = new ArrayList<>();
            for (int i = 0; i < q; i++) {
                for (int j = 0; j < q; j++) {
                    shifted.add(tf.slice(blocks, tf.constant(new int[] {0, i, j, 0}), tf.constant(new int[] {-1,
                        out.dim(0), out.dim(1), stride * stride * c})));
                }
            }
            patches = tf.concat(shifted, tf.constant(3));
        }
        // kernel [(i, dy), (j, dx), c, o] → rows (i, j, dy, dx, c), the order of the patch channels
        Operand<TFloat32> k2 = tf.reshape(tf.linalg.transpose(tf.reshape(kernelWeights, tf.constant(new long[] {q,
            stride, q, stride, c, filters})), tf.constant(new int[] {0, 2, 1, 3, 4, 5})), tf.constant(new long[] {rows,
                filters}));
        // bias and activation on the product itself: TensorFlow fuses the three into one oneDNN kernel
        Operand<TFloat32> y = activation.apply(tf, tf.nn.biasAdd(tf.linalg.matMul(tf.reshape(patches,
                tf.constant(new long[] {-1, rows})), k2), bias));
        return tf.reshape(y, tf.constant(new long[] {-1, out.dim(0), out.dim(1), filters}));
    }

    /**
     * The op library's kernels where a graph built with {@code options} cuts strided convolutions' patches with them:
     * where the options use the library ({@link Kernels#of}), in training graphs and in float32 inference graphs (the
     * bfloat16 rewrite of inference works on TensorFlow's own ops); null otherwise.
     */
    static Kernels fusedPatches(boolean training, TfOptions options) {
        Kernels k = Kernels.of(options);
        return k.fused() && (training || Sessions.inferencePrecision(options) == TfOptions.Precision.FLOAT32) ? k
                : null;
    }

    static void checkImage(Shape in, String layer) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException(layer + ": expected H×W×C input, found " + in);
        }
    }

    @Override
    public String toString() {
        return "conv2d(" + filters + ", kernel " + kernel + ", stride " + stride + ", " + padding + ")";
    }
}
