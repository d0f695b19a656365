package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * A dataset read record by record from a {@link RecordCursor}: every pass opens a new cursor (re-opening the file)
 * and groups its records into batches. Memory is bounded by the batch size.
 */
abstract class RecordDataset implements Dataset {
    private final String name;
    private final Shape instanceShape;
    private final OptionalLong size;
    private final boolean labelled;

    RecordDataset(String name, Shape instanceShape, OptionalLong size, boolean labelled) {
        this.name = requireNonNull(name, "name is null");
        this.instanceShape = requireNonNull(instanceShape, "instanceShape is null");
        this.size = requireNonNull(size, "size is null");
        this.labelled = labelled;
    }

    /** Starts a new pass over the data. */
    abstract RecordCursor open();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Shape instanceShape() {
        return instanceShape;
    }

    @Override
    public final OptionalLong size() {
        return size;
    }

    @Override
    public final boolean hasLabels() {
        return labelled;
    }

    @Override
    public final BatchIterator batches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, found " + batchSize);
        }
        return new CursorBatches(open(), batchSize);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + instanceShape + "]";
    }

    /** Groups a cursor's records into batches, closing the cursor at the end of the data or on an error. */
    private final class CursorBatches implements BatchIterator {
        private static final int INITIAL_CAPACITY = 256;
        /** Values allocated up front for a batch (4 MiB of floats); more only as records actually arrive. */
        private static final int INITIAL_VALUES = 1 << 20;

        private final RecordCursor cursor;
        private final int batchSize;
        private final int features;
        private Batch pending;
        private boolean done;

        CursorBatches(RecordCursor cursor, int batchSize) {
            this.cursor = requireNonNull(cursor, "cursor is null");
            this.batchSize = batchSize;
            this.features = Math.toIntExact(instanceShape.size());
        }

        @Override
        public boolean hasNext() {
            if (pending == null && !done) {
                try {
                    pending = fill();
                } catch (RuntimeException e) {
                    close();
                    throw e;
                }
            }
            return pending != null;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more batches in " + name);
            }
            Batch b = pending;
            pending = null;
            return b;
        }

        /** Reads up to one batch; grows its arrays as records come so a huge batch size costs nothing up front. */
        private Batch fill() {
            int capacity = Math.min(batchSize, Math.min(INITIAL_CAPACITY, Math.max(1, INITIAL_VALUES / Math.max(1, features))));
            float[] data = new float[Math.multiplyExact(capacity, features)];
            int[] labels = labelled ? new int[capacity] : null;
            int n = 0;
            while (n < batchSize) {
                if (n == capacity) {
                    capacity = (int) Math.min(batchSize, 2L * capacity);
                    data = Arrays.copyOf(data, Math.multiplyExact(capacity, features));
                    labels = labels == null ? null : Arrays.copyOf(labels, capacity);
                }
                if (!cursor.next(data, n * features)) {
                    close();
                    break;
                }
                if (labels != null) {
                    labels[n] = cursor.label();
                }
                n++;
            }
            if (n == 0) {
                return null;
            }
            if (n < capacity) {
                data = Arrays.copyOf(data, n * features);
                labels = labels == null ? null : Arrays.copyOf(labels, n);
            }
            return Batch.wrap(data, instanceShape.prepend(n), labels);
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                cursor.close();
            }
        }
    }
}
