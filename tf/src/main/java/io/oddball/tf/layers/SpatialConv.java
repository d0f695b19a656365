package io.oddball.tf.layers;

import static java.util.Objects.requireNonNull;

import io.oddball.tf.TfOptions;
import io.oddball.tf.kernels.Kernels;
import io.oddball.tf.kernels.OpLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv;
import org.tensorflow.op.nn.Conv2dBackpropInput;
import org.tensorflow.types.TFloat32;

/**
 * Small 2-D convolutions (few channels, stride 1) as TensorFlow's generic {@code Conv} op, with their gradient.
 *
 * <p>With oneDNN on, TensorFlow rewrites every {@code Conv2D} to oneDNN's kernel, which runs convolutions of 32–64
 * channels on 28×28 maps at batch 32 about half as fast as TensorFlow's own Eigen kernel (a spatial convolution as
 * a matrix product, itself on oneDNN's JIT-compiled GEMM): PixelCNN++'s 2×3 and 2×2 convolutions, measured in
 * {@code bench/RESULTS.md}. The generic {@code Conv} op is not rewritten, so it runs the Eigen kernel; it has no
 * gradient in TensorFlow's C++ registry, so this class registers one (once per process, for every {@code Conv} op):
 * <ul>
 *   <li>input gradient of a stride-1 convolution: another {@code Conv} (Eigen) of the output gradient, zero-padded
 *       so that it reaches every input pixel, with the kernel rotated by 180° and its channel axes swapped;
 *       otherwise {@code Conv2DBackpropInput} (oneDNN);</li>
 *   <li>kernel gradient of a stride-1 convolution: {@link OpLibrary#convFilterGrad} where the convolution was built
 *       with options that use Oddball's op library ({@link Kernels#of}; about twice as fast as oneDNN here, and no
 *       {@code Pad}); otherwise {@code Conv2DBackpropFilter} (oneDNN) on the zero-padded input.</li>
 * </ul>
 * Padding is explicit ({@code [top, bottom, left, right]} zeros), so no {@code Pad} op and no gradient {@code Slice}
 * is needed. The kernel size, and whether the op library computes the kernel gradient, are part of the op name
 * ({@code ….spatial_k2x3}, {@code ….spatial_k2x3f}), because a gradient function may not ask the graph for shapes
 * (the graph is locked while gradients are added) and is registered once for every graph.
 *
 * <p>With {@link TfOptions.Variant#CONV2D_SPATIAL_CONV} ({@code tf.spatialConv=conv2d}) the convolution is
 * {@code Pad} and TensorFlow's {@code Conv2D} instead (oneDNN's kernel, its own gradients), to compare the two.
 */
public final class SpatialConv {
    private static final String KERNEL_MARK = ".spatial_k";
    private static final Pattern KERNEL_IN_NAME = Pattern.compile("\\.spatial_k([0-9]{1,4})x([0-9]{1,4})(f?)");
    private static boolean registered;

    private SpatialConv() {
    }

    /**
     * {@code x} ({@code [B, H, W, C]}) convolved with {@code kernel} ({@code [kh, kw, C, F]}) at {@code stride},
     * zero-padded by {@code pad = {top, bottom, left, right}}, built as {@code options} say.
     *
     * @param name unique op name in the graph (the kernel size is appended)
     */
    public static Operand<TFloat32> conv(Ops tf, TfOptions options, String name, Operand<TFloat32> x,
            Operand<TFloat32> kernel, int kh, int kw, int stride, int[] pad) {
        requireNonNull(options, "options is null");
        requireNonNull(pad, "pad is null");
        if (pad.length != 4 || kh < 1 || kw < 1 || stride < 1) {
            throw new IllegalArgumentException("conv: expected a kernel and stride >= 1 and 4 paddings, found " + kh
                    + "x" + kw + ", stride " + stride + ", " + pad.length + " paddings");
        }
        List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
        boolean none = pad[0] == 0 && pad[1] == 0 && pad[2] == 0 && pad[3] == 0;
        if (options.has(TfOptions.Variant.CONV2D_SPATIAL_CONV)) {
            Operand<TFloat32> padded = none ? x : tf.pad(x, tf.constant(new int[][] {{0, 0}, {pad[0], pad[1]},
                {pad[2], pad[3]}, {0, 0}}), tf.constant(0f));
            return tf.nn.conv2d(padded, kernel, strides, "VALID");
        }
        registerGradient();
        Ops named = tf.withName(name + KERNEL_MARK + kh + "x" + kw + (Kernels.of(options).fused() ? "f" : ""));
        if (none) {
            return named.nn.conv(x, kernel, strides, "VALID");
        }
        return named.nn.conv(x, kernel, strides, "EXPLICIT", Conv.explicitPaddings(0L, 0L, (long) pad[0],
                (long) pad[1], (long) pad[2], (long) pad[3], 0L, 0L));
    }

    private static synchronized void registerGradient() {
        if (registered) {
            return;
        }
        if (!TensorFlow.registerCustomGradient(Conv.Inputs.class, SpatialConv::gradient)) {
            throw new IllegalStateException("conv: TensorFlow refused the gradient of the Conv op");
        }
        registered = true;
    }

    @SuppressWarnings("unchecked")
    private static List<Operand<?>> gradient(Ops tf, Conv.Inputs<?> op, List<org.tensorflow.Output<?>> grads) {
        if (!op.dataFormat.equals("CHANNELS_LAST") || op.groups != 1 || op.batchDims != 1) {
            throw new IllegalStateException("conv: a gradient for channels-last, ungrouped Conv ops only, found "
                    + op.dataFormat + ", groups " + op.groups + ", batch dims " + op.batchDims);
        }
        Operand<TFloat32> dy = (Operand<TFloat32>) grads.get(0);
        Operand<TFloat32> x = (Operand<TFloat32>) op.input;
        Operand<TFloat32> w = (Operand<TFloat32>) op.filter;
        List<Long> strides = new ArrayList<>();
        for (long s : op.strides) {
            strides.add(s);
        }
        long[] explicit = op.padding.equals("EXPLICIT") ? op.explicitPaddings : new long[8];
        String opName = op.getOutputs().op().name();
        int[] kernel = kernelOf(opName);
        Operand<TFloat32> dx;
        boolean stride1 = op.strides[1] == 1 && op.strides[2] == 1;
        boolean padOk = kernel != null && !op.padding.equals("SAME") && explicit[2] <= kernel[0] - 1
                && explicit[3] <= kernel[0] - 1 && explicit[4] <= kernel[1] - 1 && explicit[5] <= kernel[1] - 1;
        if (stride1 && padOk) {
            // dx[i] = Σ_a w[a]·dy[i + T − a]: a VALID convolution of dy padded by k−1−pad with the rotated kernel
            Operand<TFloat32> rotated = tf.linalg.transpose(tf.reverse(w, tf.constant(new int[] {0, 1})),
                    tf.constant(new int[] {0, 1, 3, 2}));
            long kh = kernel[0] - 1L;
            long kw = kernel[1] - 1L;
            dx = tf.nn.conv(dy, rotated, List.of(1L, 1L, 1L, 1L), "EXPLICIT", Conv.explicitPaddings(0L, 0L,
                    kh - explicit[2], kh - explicit[3], kw - explicit[4], kw - explicit[5], 0L, 0L));
        } else {
            dx = tf.nn.conv2dBackpropInput(tf.shape(x), w, dy, strides, op.padding,
                    Conv2dBackpropInput.explicitPaddings(toList(op.padding, explicit)));
        }
        OpLibrary library = fusedFilterGrad(opName) ? Kernels.loaded() : null;
        if (library != null && stride1 && !op.padding.equals("SAME") && undilated(op.dilations)) {
            return List.of(dx, library.convFilterGrad(tf, x, w, dy,
                    new long[] {explicit[2], explicit[3], explicit[4], explicit[5]}));
        }
        // oneDNN takes Conv2DBackpropFilter only without explicit padding (TensorFlow's own kernel ran 1.8× slower)
        Operand<TFloat32> xp = x;
        String padding = op.padding;
        if (padding.equals("EXPLICIT")) {
            xp = tf.pad(x, tf.constant(new int[][] {{0, 0}, {(int) explicit[2], (int) explicit[3]},
                    {(int) explicit[4], (int) explicit[5]}, {0, 0}}), tf.constant(0f));
            padding = "VALID";
        }
        Operand<TFloat32> dw = tf.nn.conv2dBackpropFilter(xp, tf.shape(w), dy, strides, padding);
        return List.of(dx, dw);
    }

    private static boolean undilated(long[] dilations) {
        for (long d : dilations) {
            if (d != 1) {
                return false;
            }
        }
        return true;
    }

    private static List<Long> toList(String padding, long[] explicit) {
        List<Long> out = new ArrayList<>();
        if (padding.equals("EXPLICIT")) {
            for (long p : explicit) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * {@code {kh, kw}} from the last {@code .spatial_k<kh>x<kw>} in an op name (TensorFlow may append {@code _1}), or
     * null: another {@code Conv} op, whose input gradient is then {@code Conv2DBackpropInput}.
     */
    static int[] kernelOf(String opName) {
        Matcher m = last(opName);
        return m == null ? null : new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** Whether the op was built to take its kernel gradient from the op library ({@code .spatial_k<kh>x<kw>f}). */
    static boolean fusedFilterGrad(String opName) {
        Matcher m = last(opName);
        return m != null && !m.group(3).isEmpty();
    }

    private static Matcher last(String opName) {
        Matcher m = KERNEL_IN_NAME.matcher(opName);
        int start = -1;
        while (m.find()) {
            start = m.start();
        }
        return start >= 0 && m.find(start) ? m : null;
    }
}
