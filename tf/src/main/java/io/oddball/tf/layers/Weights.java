package io.oddball.tf.layers;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The values of a model's weights as plain Java arrays, in model order: initial values, a snapshot of the best
 * epoch, the trained result. Immutable: factories copy in, accessors hand out read-only views.
 */
public final class Weights {
    private final Map<String, Shape> shapes;
    private final Map<String, float[]> values;

    private Weights(Map<String, Shape> shapes, Map<String, float[]> values) {
        this.shapes = Collections.unmodifiableMap(shapes);
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Initial values of {@code specs} drawn by their initialisers from one random stream seeded with {@code seed},
     * in order: the same specs and seed give the same values.
     */
    public static Weights initial(List<WeightSpec> specs, long seed) {
        requireNonNull(specs, "specs is null");
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (WeightSpec s : specs) {
            if (shapes.put(s.name(), s.shape()) != null) {
                throw new IllegalArgumentException("duplicate weight name " + s.name());
            }
            float[] v = s.initializer().sample(s.shape(), random);
            if (v.length != s.shape().size()) {
                throw new IllegalStateException(s.name() + ": initializer gave " + v.length + " values for shape "
                        + s.shape());
            }
            values.put(s.name(), v);
        }
        return new Weights(shapes, values);
    }

    /** Weights taking over {@code values} (not copied): for code that produced the arrays itself. */
    public static Weights wrap(List<WeightSpec> specs, List<float[]> arrays) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            WeightSpec s = specs.get(i);
            if (arrays.get(i).length != s.shape().size()) {
                throw new IllegalArgumentException(s.name() + ": expected " + s.shape().size() + " values, found "
                        + arrays.get(i).length);
            }
            shapes.put(s.name(), s.shape());
            values.put(s.name(), arrays.get(i));
        }
        return new Weights(shapes, values);
    }

    /** Weight names, in model order. */
    public List<String> names() {
        return new ArrayList<>(shapes.keySet());
    }

    /** Shape of weight {@code name}. */
    public Shape shape(String name) {
        return require(name, shapes.get(name));
    }

    /** Read-only view of weight {@code name}'s values, row-major. */
    public FloatBuffer values(String name) {
        return FloatBuffer.wrap(require(name, values.get(name))).asReadOnlyBuffer();
    }

    /** The array itself, for this package's code that only reads it. */
    float[] array(String name) {
        return require(name, values.get(name));
    }

    /** Total number of values. */
    public long parameterCount() {
        long n = 0;
        for (float[] v : values.values()) {
            n += v.length;
        }
        return n;
    }

    private static <T> T require(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException("no weight named " + name);
        }
        return value;
    }

    @Override
    public String toString() {
        return "Weights[" + shapes + "]";
    }
}
