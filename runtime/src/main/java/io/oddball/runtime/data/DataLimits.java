package io.oddball.runtime.data;

import io.oddball.api.Params;

/**
 * The limits the readers enforce so that a hostile or broken file fails fast with one line instead of running for
 * minutes or exhausting memory. Two can be raised per input through reader options where real data may need more:
 * {@value #MAX_BYTES_OPTION} and {@value #MAX_IMAGE_PIXELS_OPTION}.
 */
public final class DataLimits {
    /** Reader option: the most bytes a compressed input (gzip, a deflated {@code .npz} entry) may expand to. */
    public static final String MAX_BYTES_OPTION = "maxBytes";
    /**
     * Default of {@value #MAX_BYTES_OPTION}: 2 GiB. A header announcing more is refused before anything is read, and
     * a stream that expands past it (a zip bomb) stops there.
     */
    public static final long MAX_BYTES = 2L << 30;
    /** Reader option of {@code images}: the most pixels (width × height) an image may declare. */
    public static final String MAX_IMAGE_PIXELS_OPTION = "maxImagePixels";
    /**
     * Default of {@value #MAX_IMAGE_PIXELS_OPTION}: 50 million (e.g. 8660×5773). The size is read from the image's
     * header and checked before it is decoded. (Pillow's default ceiling is 89 478 485 pixels, with a warning above
     * half of it.)
     */
    public static final long MAX_IMAGE_PIXELS = 50_000_000L;
    /** The longest line of a CSV file, in characters (16 Mi): a file with no line breaks is refused at that point. */
    public static final int MAX_LINE_CHARS = 1 << 24;

    private DataLimits() {
    }

    /** The {@value #MAX_BYTES_OPTION} option (an integer >= 1; default {@link #MAX_BYTES}), problems recorded. */
    static long maxBytes(Params options) {
        return positive(options, MAX_BYTES_OPTION, MAX_BYTES);
    }

    /** The {@value #MAX_IMAGE_PIXELS_OPTION} option (an integer >= 1; default {@link #MAX_IMAGE_PIXELS}). */
    static long maxImagePixels(Params options) {
        return positive(options, MAX_IMAGE_PIXELS_OPTION, MAX_IMAGE_PIXELS);
    }

    private static long positive(Params options, String key, long defaultValue) {
        long v = options.getLong(key, defaultValue);
        if (v < 1) {
            options.problem(key, "an integer >= 1", v);
            return defaultValue;
        }
        return v;
    }
}
