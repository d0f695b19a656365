package io.oddball.tf.layers;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A fully connected layer {@code activation(x · kernel + bias)} on vectors; kernel {@code [in, units]} Glorot-uniform,
 * bias zeros (Keras' defaults).
 *
 * @param units output size
 * @param activation applied to the output
 */
public record Dense(int units, Activation activation) implements Layer {
    public Dense {
        requireNonNull(activation, "activation is null");
        if (units < 1) {
            throw new IllegalArgumentException("dense units: expected >= 1, found " + units);
        }
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 1) {
            throw new IllegalArgumentException("dense(" + units + "): expected vector input, found " + in
                    + "; flatten first");
        }
        return Shape.of(units);
    }

    @Override
    public List<WeightSpec> weights(String prefix, Shape in) {
        outputShape(in);
        return List.of(new WeightSpec(prefix + "_kernel", Shape.of(in.dim(0), units), Initializer.glorotUniform()),
                new WeightSpec(prefix + "_bias", Shape.of(units), Initializer.zeros()));
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights) {
        return activation.apply(tf, tf.nn.biasAdd(tf.linalg.matMul(x, weights.get(0)), weights.get(1)));
    }
}
