package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Instance shapes as NumPy users write them. An {@code (N, H, W)} array holds the same values in the same order as
 * {@code (N, H, W, 1)}, so {@code HxW} and {@code HxWx1} are the same layout and are read as one another where a
 * detector expects the other. Any other difference needs the user's word: the reader option {@code shape}
 * ({@code -O shape=28,28,1}, {@code shape: [28, 28, 1]}) reshapes rows of the same number of values, and the messages
 * here say how.
 */
public final class Shapes {
    /** The reader option that reshapes each instance. */
    public static final String OPTION = "shape";

    private Shapes() {
    }

    /** Whether instances of shape {@code found} are those of {@code expected} as they are, or up to a channel axis of 1. */
    public static boolean sameLayout(Shape found, Shape expected) {
        return found.equals(expected) || withoutUnitChannel(found).equals(withoutUnitChannel(expected));
    }

    /** {@code HxW} for {@code HxWx1}; any other shape unchanged. */
    private static Shape withoutUnitChannel(Shape s) {
        return s.rank() == 3 && s.dim(2) == 1 ? Shape.of(s.dim(0), s.dim(1)) : s;
    }

    /** {@code HxWx1} for {@code HxW} (images with a channel axis, as TensorFlow has them); any other shape unchanged. */
    public static Shape withChannel(Shape s) {
        return s.rank() == 2 ? Shape.of(s.dim(0), s.dim(1), 1) : s;
    }

    /** {@code data} seen with instances of shape {@code shape} (the same number of values per instance). */
    public static Dataset reshape(Dataset data, Shape shape) {
        requireNonNull(data, "data is null");
        requireNonNull(shape, "shape is null");
        if (data.instanceShape().equals(shape)) {
            return data;
        }
        if (data.instanceShape().size() != shape.size()) {
            throw new IllegalArgumentException("cannot reshape instances of " + data.instanceShape() + " to " + shape);
        }
        return new Reshaped(data, shape);
    }

    /** A batch of instances of {@code shape} with the values (and labels) of {@code b}. */
    public static Batch reshape(Batch b, Shape shape) {
        return b.instanceShape().equals(shape) ? b : Batch.wrap(b.toArray(), shape.prepend(b.size()),
                b.hasLabels() ? b.labels() : null);
    }

    /** {@code 784 values per instance} for a flat shape, {@code instances of 28x28x1} for any other. */
    public static String describe(Shape s) {
        return s.rank() <= 1 ? s.size() + " values per instance" : "instances of " + s;
    }

    /**
     * What a user reads when instances of {@code found} were given where {@code expected} belongs, with the fix when
     * there is one: {@code 784 values per instance; reshape with -O shape=28,28,1} (or {@code shape: [28, 28, 1]} for
     * YAML), {@code instances of 8x8x3}.
     */
    public static String mismatch(Shape found, Shape expected, boolean yaml) {
        String what = describe(found);
        if (found.size() != expected.size()) {
            return what;
        }
        return what + "; reshape with " + option(expected, yaml);
    }

    /** The reader option giving instances of {@code shape}: {@code -O shape=28,28,1} or {@code shape: [28, 28, 1]}. */
    public static String option(Shape shape, boolean yaml) {
        List<String> dims = new ArrayList<>();
        for (int d : shape.dims()) {
            dims.add(Integer.toString(d));
        }
        return yaml ? OPTION + ": [" + String.join(", ", dims) + "]" : "-O " + OPTION + "=" + String.join(",", dims);
    }

    /** A dataset whose instances are those of another, reshaped. */
    private static final class Reshaped extends ForwardingDataset {
        private final Shape shape;

        Reshaped(Dataset source, Shape shape) {
            super(source);
            this.shape = shape;
        }

        @Override
        public Shape instanceShape() {
            return shape;
        }

        @Override
        public BatchIterator batches(int batchSize) {
            BatchIterator it = source().batches(batchSize);
            return new BatchIterator() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Batch next() {
                    return reshape(it.next(), shape);
                }

                @Override
                public void close() {
                    it.close();
                }
            };
        }

        @Override
        public String toString() {
            return "Reshaped[" + source() + " as " + shape + "]";
        }
    }
}
