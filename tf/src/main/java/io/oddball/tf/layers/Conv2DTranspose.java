package io.oddball.tf.layers;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
import io.oddball.tf.TfOptions;
import io.oddball.tf.kernels.Kernels;
import io.oddball.tf.kernels.OpLibrary;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A 2-D transposed convolution (the gradient of {@link Conv2D} with respect to its input) with a square
 * {@code kernel}; kernel {@code [k, k, filters, C]} Glorot-uniform, bias zeros. With {@link Padding#same()} the output
 * is {@code in · stride} (Keras {@code Conv2DTranspose(padding='same')}); with explicit padding it is PyTorch's
 * {@code ConvTranspose2d}: the full VALID output {@code (in − 1)·stride + k} cropped by {@code padding} on each side,
 * extended by {@code outputPadding} at the bottom and right, size {@code (in − 1)·stride − 2·padding + k + outputPadding}.
 *
 * @param filters output channels
 * @param kernel kernel height and width
 * @param stride stride in both directions
 * @param padding Keras {@code same} or PyTorch explicit
 * @param activation applied to the output
 */
public record Conv2DTranspose(int filters, int kernel, int stride, Padding padding, Activation activation)
        implements Layer {
    public Conv2DTranspose {
        requireNonNull(padding, "padding is null");
        requireNonNull(activation, "activation is null");
        if (filters < 1 || kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("conv2d-transpose: expected filters, kernel and stride >= 1, found "
                    + filters + ", " + kernel + ", " + stride);
        }
    }

    @Override
    public Shape outputShape(Shape in) {
        Conv2D.checkImage(in, toString());
        return Shape.of(size(in.dim(0)), size(in.dim(1)), filters);
    }

    private int size(int in) {
        if (padding.kerasSame()) {
            return in * stride;
        }
        int out = (in - 1) * stride - 2 * padding.padding() + kernel + padding.outputPadding();
        if (out < 1) {
            throw new IllegalArgumentException(this + ": input of size " + in + " gives an empty output");
        }
        return out;
    }

    @Override
    public List<WeightSpec> weights(String prefix, Shape in) {
        Conv2D.checkImage(in, toString());
        return List.of(
                new WeightSpec(prefix + "_kernel", Shape.of(kernel, kernel, filters, in.dim(2)),
                        Initializer.glorotUniform()),
                new WeightSpec(prefix + "_bias", Shape.of(filters), Initializer.zeros()));
    }

    /** The inference form with the {@linkplain TfOptions#defaults() default options}. */
    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights) {
        return build(tf, x, in, weights, false, TfOptions.defaults());
    }

    /**
     * As {@link #build(Ops, Operand, Shape, List)}; a training graph or a float32 inference graph, where
     * {@code options} use Oddball's op library ({@link Conv2D#fusedPatches}), builds a strided transposed convolution
     * as one product {@code [N·H·W, C] × [C, k·k·filters]} (each input pixel's contributions to its {@code k × k}
     * output window) and one pass that sums them into place ({@code col2im}, the
     * gradient of {@link OpLibrary#patches}; its own gradient is the patches op) and adds the bias and the
     * activation: no shifted copies, adds, DepthToSpace or crop, and no transposed copy of the kernel. The same
     * values. With {@link TfOptions.Variant#BACKPROP_TRANSPOSED_CONV} ({@code tf.transposedConv=backprop}) every
     * transposed convolution is TensorFlow's {@code Conv2DBackpropInput}.
     */
    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights,
            boolean training, TfOptions options) {
        Shape out = outputShape(in);
        boolean matMul = stride > 1 && kernel >= stride && !options.has(TfOptions.Variant.BACKPROP_TRANSPOSED_CONV);
        Kernels fused = matMul ? Conv2D.fusedPatches(training, options) : null;
        if (fused != null) {
            Operand<TFloat32> y = byFusedSum(tf, fused, x, in, weights.get(0), weights.get(1), out);
            if (y != null) {
                return y;
            }
        }
        Operand<TFloat32> y;
        if (matMul) {
            y = kernel % stride == 0 ? byShiftedProducts(tf, x, in, weights.get(0), out)
                    : byMatMul(tf, x, in, weights.get(0), out);
        } else if (padding.kerasSame()) {
            y = tf.nn.conv2dBackpropInput(sizes(tf, x, out.dim(0), out.dim(1)), weights.get(0), x, strides(), "SAME");
        } else {
            int fullH = (in.dim(0) - 1) * stride + kernel;
            int fullW = (in.dim(1) - 1) * stride + kernel;
            y = tf.nn.conv2dBackpropInput(sizes(tf, x, fullH, fullW), weights.get(0), x, strides(), "VALID");
            y = crop(tf, y, fullH, fullW, padding.padding(), out);
        }
        return activation.apply(tf, tf.nn.biasAdd(y, weights.get(1)));
    }

    /**
     * The same transposed convolution as one matrix product and shifted adds, about twice as fast as oneDNN's
     * backward-data kernel for the 4×4 stride-2 layers of the CIFAR autoencoders on CPU (bench/RESULTS.md): each input
     * pixel's {@code k·k} output contributions come from {@code x · kernel} ({@code [N·H·W, C] × [C, k·k·filters]}),
     * and output pixel {@code (m·s + a, n·s + b)} sums the contributions of taps {@code (a + s·q, b + s·r)} of input
     * pixel {@code (m − q, n − r)}: per phase {@code (a, b)} a sum of shifted slices, interleaved by DepthToSpace.
     * Used when the kernel is not a multiple of the stride (3×3 stride 2); otherwise {@link #byShiftedProducts}.
     */
    private Operand<TFloat32> byMatMul(Ops tf, Operand<TFloat32> x, Shape in, Operand<TFloat32> kernelWeights,
            Shape out) {
        int h = in.dim(0);
        int w = in.dim(1);
        int c = in.dim(2);
        int o = filters;
        int q = (kernel + stride - 1) / stride;
        Operand<TFloat32> k2 = tf.reshape(tf.linalg.transpose(kernelWeights, tf.constant(new int[] {3, 0, 1, 2})),
                tf.constant(new long[] {c, (long) kernel * kernel * o}));
        Operand<TFloat32> z = tf.reshape(tf.linalg.matMul(tf.reshape(x, tf.constant(new long[] {-1, c})), k2),
                tf.constant(new long[] {-1, h, w, (long) kernel * kernel * o}));
        // one piece per tap (Split's gradient is one Concat), each shifted into place by a Pad (its gradient a Slice)
        List<org.tensorflow.Output<TFloat32>> taps = tf.split(tf.constant(3), z, (long) kernel * kernel).output();
        int mh = h + q - 1;
        int mw = w + q - 1;
        List<Operand<TFloat32>> phases = new java.util.ArrayList<>();
        for (int a = 0; a < stride; a++) {
            for (int b = 0; b < stride; b++) {
                Operand<TFloat32> sum = null;
                for (int qy = 0; qy < q; qy++) {
                    for (int qx = 0; qx < q; qx++) {
                        int ty = a + stride * qy;
                        int tx = b + stride * qx;
                        if (ty >= kernel || tx >= kernel) {
                            continue;
                        }
                        Operand<TFloat32> part = taps.get(ty * kernel + tx);
                        if (q > 1) {
                            part = tf.pad(part, tf.constant(new int[][] {{0, 0}, {qy, q - 1 - qy}, {qx, q - 1 - qx},
                                {0, 0}}), tf.constant(0f));
                        }
                        sum = sum == null ? part : tf.math.add(sum, part);
                    }
                }
                phases.add(sum);
            }
        }
        // rows m·s + a for m < h + q − 1 cover the full VALID output (h − 1)·s + k, and beyond it only zeros
        Operand<TFloat32> full = tf.nn.depthToSpace(tf.concat(phases, tf.constant(3)), (long) stride);
        int top = padding.kerasSame() ? Math.max(kernel - stride, 0) / 2 : padding.padding();
        return crop(tf, full, mh * stride, mw * stride, top, out);
    }

    /**
     * The matrix-product form when the kernel is a multiple of the stride (4×4 stride 2), with fewer copies than
     * {@link #byMatMul}: with {@code q = kernel / stride}, taps {@code (s·qy + a, s·qx + b)} for one shift
     * {@code (qy, qx)} cover every output phase {@code (a, b)} once, so {@code q²} products
     * {@code [N·H·W, C] × [C, s·s·filters]} (channels {@code (a, b, o)}, DepthToSpace's order), each padded by its
     * shift and summed, give the phases side by side: no split into {@code k²} taps and no concat.
     */
    private Operand<TFloat32> byShiftedProducts(Ops tf, Operand<TFloat32> x, Shape in, Operand<TFloat32> kernelWeights,
            Shape out) {
        int h = in.dim(0);
        int w = in.dim(1);
        int c = in.dim(2);
        int q = kernel / stride;
        long phases = (long) stride * stride * filters;
        // kernel [(qy, a), (qx, b), o, c] → [(qy, qx), c, (a, b, o)]
        Operand<TFloat32> k3 = tf.reshape(tf.linalg.transpose(tf.reshape(kernelWeights, tf.constant(new long[] {q,
            stride, q, stride, filters, c})), tf.constant(new int[] {0, 2, 5, 1, 3, 4})), tf.constant(new long[] {
                (long) q * q, c, phases}));
        List<org.tensorflow.Output<TFloat32>> shiftKernels = tf.unstack(k3, (long) q * q).output();
        Operand<TFloat32> rows = tf.reshape(x, tf.constant(new long[] {-1, c}));
        Operand<TFloat32> sum = null;
        for (int qy = 0; qy < q; qy++) {
            for (int qx = 0; qx < q; qx++) {
                Operand<TFloat32> part = tf.reshape(tf.linalg.matMul(rows, shiftKernels.get(qy * q + qx)),
                        tf.constant(new long[] {-1, h, w, phases}));
                if (q > 1) {
                    part = tf.pad(part, tf.constant(new int[][] {{0, 0}, {qy, q - 1 - qy}, {qx, q - 1 - qx}, {0, 0}}),
                            tf.constant(0f));
                }
                sum = sum == null ? part : tf.math.add(sum, part);
            }
        }
        Operand<TFloat32> full = tf.nn.depthToSpace(sum, (long) stride);
        int top = padding.kerasSame() ? Math.max(kernel - stride, 0) / 2 : padding.padding();
        return crop(tf, full, (h + q - 1) * stride, (w + q - 1) * stride, top, out);
    }

    /** The op-library form of {@link #build(Ops, Operand, Shape, List, boolean)}; null without the library. */
    private Operand<TFloat32> byFusedSum(Ops tf, Kernels fused, Operand<TFloat32> x, Shape in,
            Operand<TFloat32> kernelWeights, Operand<TFloat32> bias, Shape out) {
        int c = in.dim(2);
        long taps = (long) kernel * kernel * filters;
        // kernel [ky, kx, o, c] as rows (ky, kx, o) of C: the product's columns in the order the patches op uses
        Operand<TFloat32> z = tf.linalg.matMul(tf.reshape(x, tf.constant(new long[] {-1, c})), tf.reshape(
                kernelWeights, tf.constant(new long[] {taps, c})), org.tensorflow.op.linalg.MatMul.transposeB(true));
        int top = padding.kerasSame() ? Math.max(kernel - stride, 0) / 2 : padding.padding();
        // the sum into place, the bias and the activation in one pass
        Operand<TFloat32> y = fused.patchesGradient(tf, tf.reshape(z, tf.constant(new long[] {-1, in.dim(0),
            in.dim(1), taps})), bias, activation.yamlName(), kernel, stride, top, top, in.dim(0), in.dim(1),
                out.dim(0), out.dim(1));
        if (y == null) {
            return null;
        }
        return tf.reshape(y, tf.constant(new long[] {-1, out.dim(0), out.dim(1), filters}));
    }

    /** Rows and columns {@code [offset, offset + out)} of a {@code [N, fullH, fullW, filters]} output, zero beyond. */
    private Operand<TFloat32> crop(Ops tf, Operand<TFloat32> y, int fullH, int fullW, int offset, Shape out) {
        int extraH = Math.max(0, offset + out.dim(0) - fullH);
        int extraW = Math.max(0, offset + out.dim(1) - fullW);
        if (extraH > 0 || extraW > 0) {
            y = tf.pad(y, tf.constant(new int[][] {{0, 0}, {0, extraH}, {0, extraW}, {0, 0}}), tf.constant(0f));
        }
        return tf.slice(y, tf.constant(new int[] {0, offset, offset, 0}), tf.constant(new int[] {-1, out.dim(0),
                out.dim(1), filters}));
    }

    private List<Long> strides() {
        return List.of(1L, (long) stride, (long) stride, 1L);
    }

    /** {@code [batch, h, w, filters]} with the batch size taken from {@code x} at run time. */
    private Operand<TInt32> sizes(Ops tf, Operand<TFloat32> x, int h, int w) {
        Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
        return tf.concat(List.of(batch, tf.constant(new int[] {h, w, filters})), tf.constant(0));
    }

    @Override
    public String toString() {
        return "conv2d-transpose(" + filters + ", kernel " + kernel + ", stride " + stride + ", " + padding + ")";
    }
}
