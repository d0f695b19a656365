package io.oddball.runtime.threshold;

import java.util.Arrays;

/**
 * numpy's {@code np.percentile(a, q)} with its default {@code method='linear'} (numpy >= 1.22, also the older
 * {@code interpolation='linear'}), computed in double: sort; virtual index {@code v = (n - 1) * q / 100}; with
 * {@code i = floor(v)} and {@code g = v - i}, the value is {@code lerp(a[i], a[i + 1], g)}, or {@code a[n - 1]} when
 * {@code v >= n - 1}. numpy's {@code _lerp} computes {@code a + (b - a) * g}, but {@code b - (b - a) * (1 - g)} when
 * {@code g >= 0.5}; this class does the same, so it agrees to the last bit with numpy on the same values as float64.
 * (numpy 2 divides {@code q} by 100 and interpolates in float32 for a float32 array; this class works in double.)
 * Input is assumed NaN-free (numpy returns NaN if any value is NaN; here NaN sorts last, as in {@code np.sort}).
 */
public final class Percentiles {
    private Percentiles() {
    }

    /**
     * The {@code percent}-th percentile of {@code values} (not modified).
     *
     * @param percent in [0, 100]
     * @throws IllegalArgumentException when {@code values} is empty or {@code percent} is out of range
     */
    public static double percentile(float[] values, double percent) {
        if (values.length == 0) {
            throw new IllegalArgumentException("percentile: expected at least one value, found none");
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return percentileOfSorted(sorted, percent);
    }

    /** {@link #percentile} of values already sorted ascending. */
    public static double percentileOfSorted(float[] sorted, double percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("percentile: expected at least one value, found none");
        }
        PercentileThreshold.RANGE.require("percent", percent);
        int n = sorted.length;
        double virtualIndex = (n - 1) * (percent / 100);
        if (virtualIndex >= n - 1) {
            return sorted[n - 1];
        }
        int lower = (int) Math.floor(virtualIndex);
        double gamma = virtualIndex - lower;
        double a = sorted[lower];
        double b = sorted[lower + 1];
        double diff = b - a;
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }
}
