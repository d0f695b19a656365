package io.oddball.tf.layers;

import io.oddball.api.data.Shape;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keeps the top-left {@code height × width} of {@code H×W×C} instances: brings a decoder's output back to an input
 * size that its strides do not divide.
 *
 * @param height rows kept
 * @param width columns kept
 */
public record Crop2D(int height, int width) implements Layer {
    public Crop2D {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("crop: expected sizes >= 1, found " + height + "x" + width);
        }
    }

    @Override
    public Shape outputShape(Shape in) {
        Conv2D.checkImage(in, toString());
        if (in.dim(0) < height || in.dim(1) < width) {
            throw new IllegalArgumentException(this + ": expected input of at least " + height + "x" + width
                    + ", found " + in);
        }
        return Shape.of(height, width, in.dim(2));
    }

    @Override
    public List<WeightSpec> weights(String prefix, Shape in) {
        return List.of();
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights) {
        Shape out = outputShape(in);
        if (out.equals(in)) {
            return x;
        }
        return tf.slice(x, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1, height, width,
                out.dim(2)}));
    }

    @Override
    public String toString() {
        return "crop(" + height + "x" + width + ")";
    }
}
