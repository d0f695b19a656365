package io.oddball.api.data;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A batch of instances: a dense float array in row-major order with shape {@code n × instanceShape}, and optionally
 * one integer label per instance (for evaluation: 0 = normal, 1 = outlier, or a class index). Immutable: factory
 * methods copy in, accessors hand out read-only views or copies.
 */
public final class Batch {
    private final float[] data;
    private final Shape shape;
    private final int[] labels;

    private Batch(float[] data, Shape shape, int[] labels) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(shape, "shape is null");
        if (shape.rank() < 1) {
            throw new IllegalArgumentException("a batch shape needs a first (instance) dimension, found scalar");
        }
        if (shape.size() != data.length) {
            throw new IllegalArgumentException("batch of shape " + shape + " needs " + shape.size()
                    + " values, found " + data.length);
        }
        if (labels != null && labels.length != shape.dim(0)) {
            throw new IllegalArgumentException("batch of " + shape.dim(0) + " instances needs as many labels, found "
                    + labels.length);
        }
        this.data = data;
        this.shape = shape;
        this.labels = labels;
    }

    /** A batch holding a copy of {@code data}, of full shape {@code shape} (first dimension = instances). */
    public static Batch of(float[] data, Shape shape) {
        return new Batch(data.clone(), shape, null);
    }

    /** As {@link #of(float[], Shape)}, with one label per instance (copied). */
    public static Batch of(float[] data, Shape shape, int[] labels) {
        return new Batch(data.clone(), shape, labels == null ? null : labels.clone());
    }

    /**
     * A batch over {@code data} without copying. The caller hands the arrays over and must not change them
     * afterwards; readers use this to avoid a copy per batch.
     */
    public static Batch wrap(float[] data, Shape shape, int[] labels) {
        return new Batch(data, shape, labels);
    }

    /** Number of instances. */
    public int size() {
        return shape.dim(0);
    }

    /** Full shape, instances first. */
    public Shape shape() {
        return shape;
    }

    /** Shape of one instance. */
    public Shape instanceShape() {
        return shape.tail();
    }

    /** Number of values (features) per instance. */
    public int featuresPerInstance() {
        return (int) instanceShape().size();
    }

    /** Read-only view of all values, row-major. */
    public FloatBuffer data() {
        return FloatBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** A copy of all values, row-major. */
    public float[] toArray() {
        return data.clone();
    }

    /** Value {@code j} of instance {@code i} (flattened instance index). */
    public float get(int i, int j) {
        return data[i * featuresPerInstance() + j];
    }

    /** A copy of instance {@code i}'s values. */
    public float[] row(int i) {
        int f = featuresPerInstance();
        return Arrays.copyOfRange(data, i * f, (i + 1) * f);
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /** A copy of the labels; fails if the batch has none. */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalStateException("this batch has no labels");
        }
        return labels.clone();
    }

    /** Instances {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public Batch slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        int f = featuresPerInstance();
        int[] d = shape.dims();
        d[0] = to - from;
        return new Batch(Arrays.copyOfRange(data, from * f, to * f), Shape.of(d),
                labels == null ? null : Arrays.copyOfRange(labels, from, to));
    }

    /** The same values with every instance given the label {@code label}. */
    public Batch withLabel(int label) {
        int[] l = new int[size()];
        Arrays.fill(l, label);
        return new Batch(data, shape, l);
    }

    @Override
    public String toString() {
        return "Batch[" + shape + (labels != null ? ", labelled" : "") + "]";
    }
}
