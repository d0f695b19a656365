package io.oddball.tf.layers;

import io.oddball.api.data.Shape;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Reshapes each instance to a vector (row-major, so an {@code H×W×C} image keeps NHWC order). */
public record Flatten() implements Layer {
    @Override
    public Shape outputShape(Shape in) {
        return Shape.of(Math.toIntExact(in.size()));
    }

    @Override
    public List<WeightSpec> weights(String prefix, Shape in) {
        return List.of();
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights) {
        return tf.reshape(x, tf.constant(new int[] {-1, Math.toIntExact(in.size())}));
    }
}
