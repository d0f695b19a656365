package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Params;
import io.oddball.api.data.Dataset;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The options every reader takes, applied in this order: {@code classes: [3, 5]} keeps the instances whose label is
 * listed (needs labels), {@code offset: n} skips the first n instances left, {@code limit: n} keeps at most n, and
 * {@code label: k} gives every instance kept the label k (e.g. to mark in- and out-of-distribution data).
 */
final class Selection {
    static final String LIMIT = "limit";
    static final String OFFSET = "offset";
    static final String CLASSES = "classes";
    static final String LABEL = "label";

    private final long limit;
    private final long offset;
    private final int[] classes;
    private final Integer label;

    private Selection(long limit, long offset, int[] classes, Integer label) {
        this.limit = limit;
        this.offset = offset;
        this.classes = classes;
        this.label = label;
    }

    /** Reads (and consumes) the common options; wrong values are recorded as problems of {@code params}. */
    static Selection read(Params params) {
        requireNonNull(params, "params is null");
        long limit = params.getLong(LIMIT, Long.MAX_VALUE);
        if (limit < 0) {
            params.problem(LIMIT, "a count >= 0", limit);
            limit = Long.MAX_VALUE;
        }
        long offset = params.getLong(OFFSET, 0);
        if (offset < 0) {
            params.problem(OFFSET, "a count >= 0", offset);
            offset = 0;
        }
        int[] classes = null;
        List<Double> list = params.getDoubleList(CLASSES, null);
        if (list != null) {
            classes = list.stream().mapToInt(Double::intValue).sorted().toArray();
            if (list.stream().anyMatch(d -> d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE)) {
                params.problem(CLASSES, "a list of integer labels", list);
            }
        }
        Integer label = params.has(LABEL) ? params.getInt(LABEL, 0) : null;
        return new Selection(limit, offset, classes, label);
    }

    /** {@code data} with this selection applied; {@code data} itself when the selection is empty. */
    Dataset apply(RecordDataset data, Params params) {
        if (classes != null && !data.hasLabels()) {
            params.problem(CLASSES, "a dataset with labels (" + data.name() + " has none)", Arrays.toString(classes));
            return data;
        }
        if (data.size().isPresent() && offset > 0 && offset >= data.size().getAsLong() && classes == null) {
            params.problem(OFFSET, "less than the " + data.size().getAsLong() + " instances of " + data.name(),
                    offset);
        }
        if (classes == null && offset == 0 && limit == Long.MAX_VALUE && label == null) {
            return data;
        }
        return new Selected(data);
    }

    private OptionalLong selectedSize(OptionalLong size) {
        if (classes != null || size.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.min(limit, Math.max(0, size.getAsLong() - offset)));
    }

    /** The selected view of a dataset. */
    private final class Selected extends RecordDataset {
        private final RecordDataset data;

        Selected(RecordDataset data) {
            super(data.name(), data.instanceShape(), selectedSize(data.size()), data.hasLabels() || label != null);
            this.data = data;
        }

        @Override
        RecordCursor open() {
            RecordCursor inner = data.open();
            return new RecordCursor() {
                private long skipped;
                private long taken;

                @Override
                public boolean next(float[] dst, int off) {
                    if (taken >= limit) {
                        return false;
                    }
                    while (inner.next(dst, off)) {
                        if (classes != null && Arrays.binarySearch(classes, inner.label()) < 0) {
                            continue;
                        }
                        if (skipped < offset) {
                            skipped++;
                            continue;
                        }
                        taken++;
                        return true;
                    }
                    return false;
                }

                @Override
                public int label() {
                    return label != null ? label : inner.label();
                }

                @Override
                public void close() {
                    inner.close();
                }
            };
        }
    }
}
