package io.oddball.tf.testing;

/**
 * Float comparisons for values computed twice by different means — another batch size, another graph (the op
 * library's loops or TensorFlow's stock ops), another process, another CPU class (AVX2 blocks its sums differently
 * from AVX-512): equal up to float rounding, not bit for bit. Bit-identity is asserted only where the same graph
 * runs the same batch twice.
 */
public final class Floats {
    /**
     * The default relative tolerance: about 80 units in the last place of float32 (2⁻²³ ≈ 1.2e-7), enough for sums
     * of a few thousand products accumulated in another order, far below any difference a bug makes.
     */
    public static final double ROUNDING = 1e-5;

    private Floats() {
    }

    /** {@link #assertClose(String, float[], float[], double)} with {@link #ROUNDING}. */
    public static void assertClose(String what, float[] actual, float[] expected) {
        assertClose(what, actual, expected, ROUNDING);
    }

    /**
     * Asserts that {@code actual} equals {@code expected} up to float rounding: the same length, and every value
     * within {@code rel · (|expected| + range)} of the expected one, where range is the largest |value| expected (so
     * that values near 0 computed as small differences of large ones are not held to their own magnitude). The
     * message names the first value out of tolerance and how many there are.
     */
    public static void assertClose(String what, float[] actual, float[] expected, double rel) {
        if (actual.length != expected.length) {
            throw new AssertionError(what + ": expected " + expected.length + " values, found " + actual.length);
        }
        double range = 0;
        for (float v : expected) {
            range = Math.max(range, Math.abs(v));
        }
        int bad = 0;
        int first = -1;
        for (int i = 0; i < actual.length; i++) {
            double tol = rel * (Math.abs(expected[i]) + range);
            boolean ok = Float.isNaN(expected[i]) ? Float.isNaN(actual[i])
                    : Math.abs((double) actual[i] - expected[i]) <= tol;
            if (!ok) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad > 0) {
            throw new AssertionError(String.format("%s: value %d is %s, expected %s within %.3g (relative %.1g of"
                    + " the value plus the range %.4g); %d of %d values out of tolerance", what, first,
                    actual[first], expected[first], rel * (Math.abs(expected[first]) + range), rel, range, bad,
                    actual.length));
        }
    }

    /** The same for doubles computed in float32 (instance scores summed in double from float features). */
    public static void assertClose(String what, double[] actual, double[] expected) {
        float[] a = new float[actual.length];
        float[] e = new float[expected.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) actual[i];
        }
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) expected[i];
        }
        assertClose(what, a, e, ROUNDING);
    }
}
