package io.oddball.runtime.data;

/** One open pass over a file, record by record; {@link RecordDataset} turns it into batches. */
interface RecordCursor extends AutoCloseable {
    /**
     * Reads the next instance's values into {@code dst} from {@code offset} on.
     *
     * @return false at the end of the data
     * @throws io.oddball.api.error.DataException if the record is truncated or malformed
     */
    boolean next(float[] dst, int offset);

    /** Label of the record last read by {@link #next}; only meaningful when the dataset has labels. */
    int label();

    /** Closes the file; never throws a checked exception. */
    @Override
    void close();
}
