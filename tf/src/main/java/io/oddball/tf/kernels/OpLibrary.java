package io.oddball.tf.kernels;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A native TensorFlow op library of fused CPU kernels, as a provider found through {@link java.util.ServiceLoader}
 * (Oddball's own: the {@code tf-ops} module). Each method builds the library's op, whatever the options; which
 * graphs use them is decided by {@link Kernels#of}, which also builds TensorFlow's stock ops in their place. A
 * provider loads its library into TensorFlow once per process ({@link #load}), with the gradients of its ops.
 */
public interface OpLibrary {
    /**
     * Loads the library and registers its gradients (tried once per process); false, with the reason in
     * {@link #unavailableReason()}, where it cannot (another OS, not built, refused by this machine).
     */
    boolean load();

    /** Why the library does not load; null once it has loaded. */
    String unavailableReason();

    /**
     * The build of the library's loops this process runs ({@code avx512}, {@code avx2}, {@code baseline}); null
     * unless loaded.
     */
    String isa();

    /** Whether the build of the loops this process runs was measured faster than the stock ops (loaded only). */
    boolean fasterThanStockOps();

    /** {@code concat(elu(x), elu(−x))} along the last axis of {@code x = concat(xs)} (known channel counts). */
    Operand<TFloat32> concatElu(Ops tf, List<Operand<TFloat32>> xs);

    /**
     * {@code concat(elu(z), elu(−z))} along the last axis of {@code z = Σ xs + bias}, times {@code scale}
     * ({@code [B, 1, 1, 2C]}, channel-dropout factors; null: none).
     */
    Operand<TFloat32> biasSumConcatElu(Ops tf, List<Operand<TFloat32>> xs, Operand<TFloat32> bias,
            Operand<TFloat32> scale);

    /** {@code og + (y₁ + b₁)·σ(y₂ + b₂)}: {@code y₁, y₂} the first and second half of {@code y}'s channels. */
    Operand<TFloat32> gate(Ops tf, Operand<TFloat32> og, Operand<TFloat32> y, Operand<TFloat32> bias);

    /**
     * The kernel gradient of a stride-1 convolution of {@code x} ({@code [B, H, W, C]}) zero-padded by {@code pads}
     * ({@code top, bottom, left, right}) with a kernel shaped like {@code kernel}, given the output gradient
     * {@code dy}.
     */
    Operand<TFloat32> convFilterGrad(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> dy,
            long[] pads);

    /**
     * The patches of a strided convolution (im2col): {@code [B, outH, outW, k·k·C]} for {@code x}
     * {@code [B, inH, inW, C]}, zero outside the input; the output shape is known at run time only.
     */
    Operand<TFloat32> patches(Ops tf, Operand<TFloat32> x, int kernel, int stride, int top, int left, int outH,
            int outW, int inH, int inW);

    /**
     * {@code activation(col2im(dp) + bias)} in one pass ({@code activation}: {@code linear}, {@code relu},
     * {@code sigmoid} or {@code elu}), col2im the gradient of {@link #patches} with the same geometry (each pixel the
     * sum of the patch entries that copy it): the end of a transposed convolution.
     */
    Operand<TFloat32> patchesGradient(Ops tf, Operand<TFloat32> dp, Operand<TFloat32> bias, String activation,
            int kernel, int stride, int top, int left, int outH, int outW, int inH, int inW);

    /**
     * The Winograd F(2×2, 2×2) input transform of a 4×4 stride-2 convolution of {@code x} ({@code [B, inH, inW, C]},
     * zero-padded by {@code top} and {@code left}, output {@code outH × outW}): {@code [9, B·T, 4C]}, where {@code T}
     * is the number of 2 × 2 output tiles of one image, planes {@code 3·row + column} of the transform of each
     * tile's 3 × 3 blocks of 2 × 2 pixels (channels {@code (dy, dx, c)}). Null where the library has no such op.
     */
    default Operand<TFloat32> winogradInput(Ops tf, Operand<TFloat32> x, int top, int left, int outH, int outW,
            int inH, int inW) {
        return null;
    }

    /**
     * {@code activation(Aᵀ m A + bias)}: the Winograd output transform of the products {@code m}
     * ({@code [9, B·T, F]}: {@link #winogradInput} times the transformed kernel) into {@code [B, outH, outW, F]},
     * with the bias and the activation ({@code linear}, {@code relu}, {@code sigmoid} or {@code elu}). Null where the
     * library has no such op.
     */
    default Operand<TFloat32> winogradOutput(Ops tf, Operand<TFloat32> m, Operand<TFloat32> bias, String activation,
            int top, int left, int outH, int outW, int inH, int inW) {
        return null;
    }
}
