package io.oddball.tf.layers;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
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

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights) {
        Shape out = outputShape(in);
        List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
        Operand<TFloat32> y;
        if (padding.kerasSame()) {
            y = tf.nn.conv2dBackpropInput(sizes(tf, x, out.dim(0), out.dim(1)), weights.get(0), x, strides, "SAME");
        } else {
            int fullH = (in.dim(0) - 1) * stride + kernel;
            int fullW = (in.dim(1) - 1) * stride + kernel;
            y = tf.nn.conv2dBackpropInput(sizes(tf, x, fullH, fullW), weights.get(0), x, strides, "VALID");
            int p = padding.padding();
            int extra = Math.max(0, padding.outputPadding() - p);
            if (extra > 0) {
                y = tf.pad(y, tf.constant(new int[][] {{0, 0}, {0, extra}, {0, extra}, {0, 0}}), tf.constant(0f));
            }
            y = tf.slice(y, tf.constant(new int[] {0, p, p, 0}), tf.constant(new int[] {-1, out.dim(0), out.dim(1),
                    filters}));
        }
        return activation.apply(tf, tf.nn.biasAdd(y, weights.get(1)));
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
