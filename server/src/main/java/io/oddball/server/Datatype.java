package io.oddball.server;

import java.util.Arrays;
import java.util.Locale;

/** The tensor data types of the Open Inference Protocol, with their sizes and the range of the integer ones. */
public enum Datatype {
    BOOL(1, 0, 1),
    UINT8(1, 0, 255),
    UINT16(2, 0, 65_535),
    UINT32(4, 0, 4_294_967_295d),
    UINT64(8, 0, 18_446_744_073_709_551_615d),
    INT8(1, -128, 127),
    INT16(2, -32_768, 32_767),
    INT32(4, Integer.MIN_VALUE, Integer.MAX_VALUE),
    INT64(8, Long.MIN_VALUE, Long.MAX_VALUE),
    FP16(2, Double.NaN, Double.NaN),
    FP32(4, Double.NaN, Double.NaN),
    FP64(8, Double.NaN, Double.NaN),
    /** Variable-length byte strings (e.g. PNG or JPEG files); size per element not fixed. */
    BYTES(0, Double.NaN, Double.NaN);

    private final int size;
    private final double min;
    private final double max;

    Datatype(int size, double min, double max) {
        this.size = size;
        this.min = min;
        this.max = max;
    }

    /** Bytes per element in the raw (binary) representation; 0 for BYTES. */
    public int size() {
        return size;
    }

    /** Whether values must be whole numbers in {@link #min()}..{@link #max()}. */
    public boolean isInteger() {
        return !Double.isNaN(min) && this != BOOL;
    }

    public boolean isFloat() {
        return this == FP16 || this == FP32 || this == FP64;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** The type named {@code text} (any case); an unknown name is a 400 naming {@code where} and the known names. */
    public static Datatype parse(String text, String where) {
        if (text != null) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        throw InferenceException.badRequest(where + ": expected a datatype of " + Arrays.toString(values())
                + ", found " + (text == null ? "none" : "'" + text + "'"));
    }
}
