package io.oddball.api.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * A source of instances read in batches, never all at once unless the consumer asks for it. Each call to
 * {@link #batches(int)} starts a fresh pass (a detector may read its training data once per epoch).
 */
public interface Dataset {
    /** What to call this data in messages: usually the file path. */
    String name();

    /** Shape of one instance, e.g. {@code 28x28x1} or {@code 512}. */
    Shape instanceShape();

    /** Number of instances, when known without reading the data. */
    OptionalLong size();

    /** Whether the batches carry labels. */
    boolean hasLabels();

    /** Starts a pass over the data in batches of at most {@code batchSize} instances. */
    BatchIterator batches(int batchSize);

    /** Reads every instance into one batch. Only for data a consumer must hold anyway (a KNN reference set). */
    default Batch readAll() {
        List<Batch> parts = new ArrayList<>();
        long total = 0;
        try (BatchIterator it = batches(4096)) {
            while (it.hasNext()) {
                Batch b = it.next();
                parts.add(b);
                total += b.size();
            }
        }
        return Datasets.concat(parts, instanceShape(), hasLabels(), total);
    }

    /** A dataset over batches already in memory (all of the same instance shape). */
    static Dataset of(String name, Batch... batches) {
        return Datasets.inMemory(name, List.of(batches));
    }

    /** An iterator over a fixed list, for in-memory datasets. */
    static BatchIterator iterate(Iterator<Batch> it) {
        return new BatchIterator() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Batch next() {
                if (!it.hasNext()) {
                    throw new NoSuchElementException();
                }
                return it.next();
            }

            @Override
            public void close() {
            }
        };
    }
}
