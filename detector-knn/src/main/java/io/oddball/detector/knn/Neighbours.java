package io.oddball.detector.knn;

import java.util.Arrays;

/**
 * The {@code capacity} nearest neighbours found so far for each of {@code n} queries, ascending by distance, merged
 * from partial top-k lists of successive reference chunks. On equal distances the neighbour offered first stays
 * first, so chunks offered in index order give the same lists as one search over the whole reference.
 * Not thread-safe: one instance per search.
 */
final class Neighbours {
    private final int n;
    private final int capacity;
    private final double[] dist;
    private final int[] index;
    private final int[] count;
    private final double[] tmpDist;
    private final int[] tmpIndex;

    Neighbours(int n, int capacity) {
        this.n = n;
        this.capacity = capacity;
        this.dist = new double[n * capacity];
        this.index = new int[n * capacity];
        this.count = new int[n];
        this.tmpDist = new double[capacity];
        this.tmpIndex = new int[capacity];
    }

    int size() {
        return n;
    }

    int capacity() {
        return capacity;
    }

    /** Number of neighbours held for {@code row}. */
    int count(int row) {
        return count[row];
    }

    double distance(int row, int j) {
        return dist[row * capacity + j];
    }

    int index(int row, int j) {
        return index[row * capacity + j];
    }

    /**
     * Merges {@code len} candidates for {@code row}, ascending by distance, read from {@code d[from ..]} and
     * {@code idx[from ..]}, with {@code indexOffset} added to each index.
     */
    void offer(int row, double[] d, int[] idx, int from, int len, int indexOffset) {
        int base = row * capacity;
        int have = count[row];
        int i = 0;
        int j = 0;
        int out = 0;
        while (out < capacity && (i < have || j < len)) {
            if (j >= len || (i < have && dist[base + i] <= d[from + j])) {
                tmpDist[out] = dist[base + i];
                tmpIndex[out] = index[base + i];
                i++;
            } else {
                tmpDist[out] = d[from + j];
                tmpIndex[out] = idx[from + j] + indexOffset;
                j++;
            }
            out++;
        }
        System.arraycopy(tmpDist, 0, dist, base, out);
        System.arraycopy(tmpIndex, 0, index, base, out);
        count[row] = out;
    }

    /**
     * Mean of the first {@code k} distances of each row; with {@code self != null}, row {@code r}'s own reference
     * index {@code self[r]} is skipped (or, when absent, the nearest held neighbour is: scikit-learn drops the first
     * column when a query's own index is not among its k + 1 neighbours, which happens only with ties).
     */
    double[] meanDistances(int k, int[] self) {
        double[] out = new double[n];
        for (int r = 0; r < n; r++) {
            int base = r * capacity;
            int skip = -1;
            if (self != null) {
                skip = 0;
                for (int j = 0; j < count[r]; j++) {
                    if (index[base + j] == self[r]) {
                        skip = j;
                        break;
                    }
                }
            }
            double sum = 0;
            int used = 0;
            for (int j = 0; j < count[r] && used < k; j++) {
                if (j != skip) {
                    sum += dist[base + j];
                    used++;
                }
            }
            if (used < k) {
                throw new IllegalStateException("row " + r + ": expected " + k + " neighbours, found " + used);
            }
            out[r] = sum / k;
        }
        return out;
    }

    @Override
    public String toString() {
        return "Neighbours[n=" + n + ", k=" + capacity + ", first=" + Arrays.toString(
                Arrays.copyOf(dist, Math.min(capacity, dist.length))) + "]";
    }
}
