package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

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
        return FixedRecords.cursor(records(data, header), labels == null ? null : records(labels, labelsHeader));
    }

    private static FixedRecords records(Supplier<RecordInput> source, NpyHeader header) {
        return new FixedRecords(source, NpyHeader::read, header.type(), header.order(), header.records(),
                header.recordValues());
    }
}
