package io.oddball.tf.layers;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
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

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights) {
        Operand<TFloat32> input = x;
        if (!padding.kerasSame() && padding.padding() > 0) {
            int p = padding.padding();
            input = tf.pad(x, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(0f));
        }
        Operand<TFloat32> kernelWeights = weights.get(0);
        if (in.dim(2) > 1 && in.dim(2) % 2 == 1) {
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
