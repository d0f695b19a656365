package io.oddball.api.data;

import java.util.List;
import java.util.OptionalLong;

/** Helpers behind {@link Dataset}'s static methods. */
final class Datasets {
    private Datasets() {
    }

    static Batch concat(List<Batch> parts, Shape instanceShape, boolean labelled, long total) {
        if (total > Integer.MAX_VALUE || total * instanceShape.size() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("too many values to hold in one batch: " + total + " x " + instanceShape);
        }
        int n = (int) total;
        int f = (int) instanceShape.size();
        float[] data = new float[n * f];
        int[] labels = labelled ? new int[n] : null;
        int at = 0;
        for (Batch b : parts) {
            b.data().get(data, at * f, b.size() * f);
            if (labels != null) {
                System.arraycopy(b.labels(), 0, labels, at, b.size());
            }
            at += b.size();
        }
        return Batch.wrap(data, instanceShape.prepend(n), labels);
    }

    static Dataset inMemory(String name, List<Batch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("an in-memory dataset needs at least one batch");
        }
        Shape shape = batches.get(0).instanceShape();
        boolean labelled = batches.get(0).hasLabels();
        long n = 0;
        for (Batch b : batches) {
            if (!b.instanceShape().equals(shape)) {
                throw new IllegalArgumentException("all batches need instance shape " + shape + ", found "
                        + b.instanceShape());
            }
            n += b.size();
        }
        long size = n;
        return new Dataset() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Shape instanceShape() {
                return shape;
            }

            @Override
            public OptionalLong size() {
                return OptionalLong.of(size);
            }

            @Override
            public boolean hasLabels() {
                return labelled;
            }

            @Override
            public BatchIterator batches(int batchSize) {
                if (batchSize < 1) {
                    throw new IllegalArgumentException("batch size must be >= 1, found " + batchSize);
                }
                // slices are made as they are asked for, so a pass never holds a second copy of the data
                return new BatchIterator() {
                    private int part;
                    private int at;

                    @Override
                    public boolean hasNext() {
                        while (part < batches.size() && at >= batches.get(part).size()) {
                            part++;
                            at = 0;
                        }
                        return part < batches.size();
                    }

                    @Override
                    public Batch next() {
                        if (!hasNext()) {
                            throw new java.util.NoSuchElementException();
                        }
                        Batch b = batches.get(part);
                        int to = Math.min(b.size(), at + batchSize);
                        Batch out = at == 0 && to == b.size() ? b : b.slice(at, to);
                        at = to;
                        return out;
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }
}
