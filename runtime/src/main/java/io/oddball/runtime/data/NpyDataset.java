package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

import io.oddball.api.error.DataException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.function.Supplier;

/** The instances of a {@code .npy} array (a file or an entry of a {@code .npz}), with labels from another array. */
final class NpyDataset extends RecordDataset {
    private final Supplier<RecordInput> data;
    private final NpyHeader header;
    private final Supplier<RecordInput> labels;
    private final NpyHeader labelsHeader;

    /**
     * @param data opens the array's bytes from the start
     * @param labels opens the labels array, or null for none
     */
    NpyDataset(String name, Supplier<RecordInput> data, Supplier<RecordInput> labels) {
        this(name, data, headerOf(data), labels, labels == null ? null : headerOf(labels));
    }

    private NpyDataset(String name, Supplier<RecordInput> data, NpyHeader header, Supplier<RecordInput> labels,
            NpyHeader labelsHeader) {
        super(name, header.instanceShape(), OptionalLong.of(header.records()), labels != null);
        this.data = requireNonNull(data, "data is null");
        this.header = header;
        this.labels = labels;
        this.labelsHeader = labelsHeader;
        if (labelsHeader != null) {
            try (RecordInput in = labels.get()) {
                if (!labelsHeader.type().integral() || labelsHeader.recordValues() != 1) {
                    throw in.error("the .npy header", 0, "integer labels of shape (" + header.records() + ",)",
                            labelsHeader.describe());
                }
                if (labelsHeader.records() != header.records()) {
                    throw in.error("the .npy header", 0, header.records() + " labels (one per instance of " + name
                            + ")", labelsHeader.describe());
                }
            }
        }
    }

    private static NpyHeader headerOf(Supplier<RecordInput> source) {
        try (RecordInput in = source.get()) {
            return NpyHeader.read(in);
        }
    }

    @Override
    RecordCursor open() {
        RecordInput in = data.get();
        RecordInput labelInput = null;
        try {
            NpyHeader.read(in);
            if (labels != null) {
                labelInput = labels.get();
                NpyHeader.read(labelInput);
            }
        } catch (DataException e) {
            in.close();
            if (labelInput != null) {
                labelInput.close();
            }
            throw e;
        }
        return new NpyCursor(in, labelInput);
    }

    /** Reads one instance (and its label) at a time. */
    private final class NpyCursor implements RecordCursor {
        private final RecordInput in;
        private final RecordInput labelInput;
        private final byte[] record = new byte[header.recordBytes()];
        private final ByteBuffer recordBuffer = ByteBuffer.wrap(record).order(header.order());
        private final byte[] label = new byte[labelsHeader == null ? 0 : labelsHeader.type().bytes()];
        private final ByteBuffer labelBuffer = ByteBuffer.wrap(label)
                .order(labelsHeader == null ? header.order() : labelsHeader.order());
        private long index;
        private int lastLabel;

        NpyCursor(RecordInput in, RecordInput labelInput) {
            this.in = in;
            this.labelInput = labelInput;
        }

        @Override
        public boolean next(float[] dst, int offset) {
            if (index >= header.records()) {
                if (index == header.records()) {
                    in.expectEnd("after the " + index + " instances its header announces");
                    index++;
                }
                return false;
            }
            in.readFully(record, record.length, "instance " + index);
            header.type().decode(recordBuffer.clear(), dst, offset, header.recordValues());
            if (labelInput != null) {
                labelInput.readFully(label, label.length, "label " + index);
                lastLabel = (int) labelsHeader.type().readLong(labelBuffer.clear());
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
            if (labelInput != null) {
                labelInput.close();
            }
        }
    }
}
