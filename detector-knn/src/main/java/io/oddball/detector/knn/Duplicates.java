package io.oddball.detector.knn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sets of exactly equal rows (as NumPy's {@code np.unique(X, axis=0)} finds them), for cleanlab's correction. */
final class Duplicates {
    private Duplicates() {
    }

    /** Every set of two or more equal rows among {@code n} rows of {@code dim} values, indices ascending. */
    static List<int[]> sets(float[] data, int n, int dim) {
        Map<Integer, List<Integer>> buckets = new HashMap<>();
        for (int r = 0; r < n; r++) {
            buckets.computeIfAbsent(hash(data, r, dim), h -> new ArrayList<>(1)).add(r);
        }
        List<int[]> out = new ArrayList<>();
        for (List<Integer> bucket : buckets.values()) {
            if (bucket.size() < 2) {
                continue;
            }
            boolean[] used = new boolean[bucket.size()];
            for (int i = 0; i < bucket.size(); i++) {
                if (used[i]) {
                    continue;
                }
                List<Integer> set = new ArrayList<>();
                set.add(bucket.get(i));
                for (int j = i + 1; j < bucket.size(); j++) {
                    if (!used[j] && equalRows(data, bucket.get(i), bucket.get(j), dim)) {
                        used[j] = true;
                        set.add(bucket.get(j));
                    }
                }
                if (set.size() > 1) {
                    out.add(set.stream().mapToInt(Integer::intValue).sorted().toArray());
                }
            }
        }
        out.sort((a, b) -> Integer.compare(a[0], b[0]));
        return out;
    }

    private static int hash(float[] data, int row, int dim) {
        int h = 1;
        int base = row * dim;
        for (int j = 0; j < dim; j++) {
            float v = data[base + j];
            h = 31 * h + (v == 0f ? 0 : Float.floatToIntBits(v));
        }
        return h;
    }

    private static boolean equalRows(float[] data, int a, int b, int dim) {
        int pa = a * dim;
        int pb = b * dim;
        for (int j = 0; j < dim; j++) {
            if (data[pa + j] != data[pb + j]) {
                return false;
            }
        }
        return true;
    }
}
