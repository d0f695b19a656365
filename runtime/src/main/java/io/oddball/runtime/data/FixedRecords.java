package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A file of {@code count} fixed-size records of one element type after a header (IDX, {@code .npy}): how to open it
 * and read past the header, and how to decode a record.
 *
 * @param opener opens the file from its first byte
 * @param header reads (and checks) the header, leaving the stream at the first record
 * @param values elements per record
 */
record FixedRecords(Supplier<RecordInput> opener, Consumer<RecordInput> header, ElementType type, ByteOrder order,
        long count, int values) {
    FixedRecords {
        requireNonNull(opener, "opener is null");
        requireNonNull(header, "header is null");
        requireNonNull(type, "type is null");
        requireNonNull(order, "order is null");
    }

    int recordBytes() {
        return values * type.bytes();
    }

    /** Opens the file positioned at its first record. */
    RecordInput openAtFirstRecord() {
        RecordInput in = opener.get();
        try {
            header.accept(in);
            return in;
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** A pass over {@code data}, with one integer label per record from {@code labels} (or null for none). */
    static RecordCursor cursor(FixedRecords data, FixedRecords labels) {
        RecordInput in = data.openAtFirstRecord();
        try {
            return new Cursor(data, in, labels, labels == null ? null : labels.openAtFirstRecord());
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads one record, and its label, at a time; checks that nothing follows the last record. */
    private static final class Cursor implements RecordCursor {
        private final FixedRecords data;
        private final RecordInput in;
        private final FixedRecords labels;
        private final RecordInput labelIn;
        private final byte[] record;
        private final ByteBuffer recordBuffer;
        private final byte[] label;
        private final ByteBuffer labelBuffer;
        private long index;
        private int lastLabel;

        Cursor(FixedRecords data, RecordInput in, FixedRecords labels, RecordInput labelIn) {
            this.data = data;
            this.in = in;
            this.labels = labels;
            this.labelIn = labelIn;
            this.record = new byte[data.recordBytes()];
            this.recordBuffer = ByteBuffer.wrap(record).order(data.order());
            this.label = new byte[labels == null ? 0 : labels.type().bytes()];
            this.labelBuffer = ByteBuffer.wrap(label).order(labels == null ? data.order() : labels.order());
        }

        @Override
        public boolean next(float[] dst, int offset) {
            if (index >= data.count()) {
                if (index == data.count()) {
                    String after = "after the " + index + " records its header announces";
                    in.expectEnd(after);
                    if (labelIn != null) {
                        labelIn.expectEnd(after);
                    }
                    index++;
                }
                return false;
            }
            in.readFully(record, record.length, "record " + index);
            data.type().decode(recordBuffer.clear(), dst, offset, data.values());
            if (labelIn != null) {
                labelIn.readFully(label, label.length, "label " + index);
                lastLabel = (int) labels.type().readLong(labelBuffer.clear());
            }
            index++;
            return true;
        }

        @Override
        public int label() {
            return lastLabel;
        }

        @Override
        public void close() {
            in.close();
            if (labelIn != null) {
                labelIn.close();
            }
        }
    }
}
