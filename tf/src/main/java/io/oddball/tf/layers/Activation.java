package io.oddball.tf.layers;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The element-wise activations a layer may end with. */
public enum Activation {
    /** {@code max(0, x)}. */
    RELU,
    /** {@code 1 / (1 + exp(-x))}. */
    SIGMOID,
    /** {@code x} for {@code x > 0}, else {@code exp(x) - 1}. */
    ELU,
    /** The identity. */
    LINEAR;

    /** Applies this activation to {@code x} in {@code tf}'s graph. */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
        return switch (this) {
            case RELU -> tf.nn.relu(x);
            case SIGMOID -> tf.math.sigmoid(x);
            case ELU -> tf.nn.elu(x);
            case LINEAR -> x;
        };
    }

    /** The YAML / lower-case name: {@code relu}, {@code sigmoid}, {@code elu}, {@code linear}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The activation named {@code name} (case-insensitive); fails listing the names that exist. */
    public static Activation of(String name) {
        for (Activation a : values()) {
            if (a.yamlName().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("activation: expected relu, sigmoid, elu or linear, found '" + name + "'");
    }
}
