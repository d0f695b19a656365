package io.oddball.tf.layers;

import io.oddball.api.data.Shape;
import java.util.SplittableRandom;

/**
 * Draws the initial values of a weight of a given shape from a seeded random source, with Keras' fan rules: a
 * {@code [in, out]} kernel has fans {@code in} and {@code out}; a {@code [kh, kw, a, b]} convolution kernel has fans
 * {@code kh·kw·a} and {@code kh·kw·b}; a vector has both fans equal to its length.
 */
@FunctionalInterface
public interface Initializer {
    /** Values of a weight of {@code shape}, row-major. */
    float[] sample(Shape shape, SplittableRandom random);

    /** Glorot (Xavier) uniform: {@code U[-limit, limit]}, {@code limit = sqrt(6 / (fanIn + fanOut))}. */
    static Initializer glorotUniform() {
        return (shape, random) -> uniform(shape, random, Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape))));
    }

    /** He (Kaiming) uniform: {@code U[-limit, limit]}, {@code limit = sqrt(6 / fanIn)}. */
    static Initializer heUniform() {
        return (shape, random) -> uniform(shape, random, Math.sqrt(6.0 / fanIn(shape)));
    }

    /** All zeros (Keras' default bias). */
    static Initializer zeros() {
        return (shape, random) -> new float[Math.toIntExact(shape.size())];
    }

    /** Keras' fan-in of a weight of {@code shape}. */
    static long fanIn(Shape shape) {
        return switch (shape.rank()) {
            case 0 -> 1;
            case 1 -> shape.dim(0);
            default -> receptiveField(shape) * shape.dim(shape.rank() - 2);
        };
    }

    /** Keras' fan-out of a weight of {@code shape}. */
    static long fanOut(Shape shape) {
        return switch (shape.rank()) {
            case 0 -> 1;
            case 1 -> shape.dim(0);
            default -> receptiveField(shape) * shape.dim(shape.rank() - 1);
        };
    }

    private static long receptiveField(Shape shape) {
        long r = 1;
        for (int i = 0; i < shape.rank() - 2; i++) {
            r *= shape.dim(i);
        }
        return r;
    }

    private static float[] uniform(Shape shape, SplittableRandom random, double limit) {
        float[] out = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < out.length; i++) {
            // nextDouble(-limit, limit) is [-limit, limit); the float cast can reach limit itself, never beyond.
            out[i] = (float) random.nextDouble(-limit, limit);
        }
        return out;
    }
}
