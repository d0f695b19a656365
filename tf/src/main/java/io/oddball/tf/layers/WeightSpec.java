package io.oddball.tf.layers;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;

/**
 * One weight of a model: its name (unique in the model, letters, digits and {@code _} only: TensorFlow slot
 * variables fail on {@code /}), shape and initialiser.
 *
 * @param name unique name within the model
 * @param shape the weight's full shape
 * @param initializer how to draw its initial values
 */
public record WeightSpec(String name, Shape shape, Initializer initializer) {
    public WeightSpec {
        requireNonNull(name, "name is null");
        requireNonNull(shape, "shape is null");
        requireNonNull(initializer, "initializer is null");
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("weight name: expected letters, digits and _, found '" + name + "'");
        }
    }
}
