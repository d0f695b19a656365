package io.oddball.api.data;

import java.util.Iterator;

/** An iterator over the batches of a {@link Dataset} that holds an open resource (a file) until closed. */
public interface BatchIterator extends Iterator<Batch>, AutoCloseable {
    /** Releases the underlying resource; never throws a checked exception. */
    @Override
    void close();
}
