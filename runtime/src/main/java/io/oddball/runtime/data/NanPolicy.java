package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.error.DataException;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What to do with instances holding NaN or infinite values before they reach a detector: {@link #REJECT} them with
 * an error naming the instance (the default), {@link #DROP} them, or {@link #IMPUTE} the non-finite values with 0.
 *
 * <p>Imputation uses 0, in the data's own units before preprocessing, rather than a mean: the mean of the training
 * data is not kept by every detector, and a mean of the batch would make an instance's score depend on its
 * neighbours in the file and on the batch size.
 */
public enum NanPolicy {
    /** Fail at the first non-finite value, naming the data, the instance and the value index. */
    REJECT,
    /** Leave out every instance with a non-finite value (see {@link Filtered#sourceIndex}). */
    DROP,
    /** Replace every non-finite value by 0. */
    IMPUTE;

    /** The policy named {@code reject}, {@code drop} or {@code impute} (any case). */
    public static NanPolicy of(String name) {
        requireNonNull(name, "name is null");
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.oddball.api.error.ConfigException("--nan-policy: expected one of reject, drop, impute, "
                    + "found '" + name + "'");
        }
    }

    /** {@code data} with this policy applied to every pass. */
    public Filtered apply(Dataset data) {
        return new Filtered(requireNonNull(data, "data is null"), this);
    }

    /**
     * A dataset seen through a {@link NanPolicy}. Remembers, for the batch it handed out last, which instance of the
     * source each row is, so output can keep the source's numbering when rows are dropped.
     */
    public static final class Filtered extends ForwardingDataset {
        private final NanPolicy policy;
        private final AtomicLong affected = new AtomicLong();
        private volatile Batch lastBatch;
        private volatile long[] lastIndices;

        private Filtered(Dataset source, NanPolicy policy) {
            super(source);
            this.policy = policy;
        }

        /** The policy applied. */
        public NanPolicy policy() {
            return policy;
        }

        /** Instances dropped or imputed so far (over every pass). */
        public long affected() {
            return affected.get();
        }

        /**
         * The 0-based index in the source data of row {@code row} of {@code batch}, which must be the batch this
         * dataset handed out last.
         */
        public long sourceIndex(Batch batch, int row) {
            if (batch != lastBatch) {
                throw new IllegalStateException("sourceIndex: expected the batch handed out last");
            }
            return lastIndices[row];
        }

        @Override
        public OptionalLong size() {
            return policy == DROP ? OptionalLong.empty() : source().size();
        }

        @Override
        public BatchIterator batches(int batchSize) {
            BatchIterator it = source().batches(batchSize);
            return new BatchIterator() {
                private long seen;
                private Batch pending;

                @Override
                public boolean hasNext() {
                    // a batch whose every row was dropped is skipped
                    while (pending == null && it.hasNext()) {
                        Batch b = it.next();
                        Batch out = filter(b, seen);
                        seen += b.size();
                        pending = out.size() > 0 ? out : null;
                    }
                    return pending != null;
                }

                @Override
                public Batch next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException("no more batches in " + source().name());
                    }
                    Batch b = pending;
                    pending = null;
                    return b;
                }

                @Override
                public void close() {
                    it.close();
                }
            };
        }

        private Batch filter(Batch b, long first) {
            int n = b.size();
            int f = b.featuresPerInstance();
            float[] x = b.toArray();
            int[] labels = b.hasLabels() ? b.labels() : null;
            long[] indices = new long[n];
            int kept = 0;
            for (int i = 0; i < n; i++) {
                int bad = firstNonFinite(x, i * f, f);
                if (bad >= 0) {
                    switch (policy) {
                        case REJECT -> throw new DataException(source().name() + ": instance " + (first + i)
                                + ", value " + bad + ": expected a finite number, found " + x[i * f + bad]
                                + "; use --nan-policy drop or impute to go on");
                        case DROP -> {
                            affected.incrementAndGet();
                            continue;
                        }
                        case IMPUTE -> {
                            affected.incrementAndGet();
                            for (int j = i * f + bad; j < (i + 1) * f; j++) {
                                if (!Float.isFinite(x[j])) {
                                    x[j] = 0f;
                                }
                            }
                        }
                        default -> throw new IllegalStateException();
                    }
                }
                if (kept != i) {
                    System.arraycopy(x, i * f, x, kept * f, f);
                    if (labels != null) {
                        labels[kept] = labels[i];
                    }
                }
                indices[kept++] = first + i;
            }
            Batch out = Batch.wrap(kept == n ? x : Arrays.copyOf(x, kept * f), b.instanceShape().prepend(kept),
                    labels == null || kept == n ? labels : Arrays.copyOf(labels, kept));
            lastIndices = kept == n ? indices : Arrays.copyOf(indices, kept);
            lastBatch = out;
            return out;
        }

        private static int firstNonFinite(float[] x, int from, int count) {
            for (int j = 0; j < count; j++) {
                if (!Float.isFinite(x[from + j])) {
                    return j;
                }
            }
            return -1;
        }
    }
}
