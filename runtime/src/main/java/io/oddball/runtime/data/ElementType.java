package io.oddball.runtime.data;

import java.nio.ByteBuffer;

/** A stored numeric element type (IDX type codes, NumPy dtypes) and how to decode it to float. */
enum ElementType {
    UINT8(1, true),
    INT8(1, true),
    BOOL(1, true),
    INT16(2, true),
    UINT16(2, true),
    INT32(4, true),
    UINT32(4, true),
    INT64(8, true),
    UINT64(8, true),
    FLOAT32(4, false),
    FLOAT64(8, false);

    private final int bytes;
    private final boolean integral;

    ElementType(int bytes, boolean integral) {
        this.bytes = bytes;
        this.integral = integral;
    }

    /** Size of one element in bytes. */
    int bytes() {
        return bytes;
    }

    /** Whether the values are integers (usable as labels). */
    boolean integral() {
        return integral;
    }

    /** Decodes {@code count} elements from {@code src} (its byte order set) into {@code dst} from {@code off}. */
    void decode(ByteBuffer src, float[] dst, int off, int count) {
        switch (this) {
            case UINT8, BOOL -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = src.get() & 0xFF;
                }
            }
            case INT8 -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = src.get();
                }
            }
            case FLOAT32 -> src.asFloatBuffer().get(dst, off, count);
            default -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = (float) readDouble(src);
                }
            }
        }
    }

    /** Reads one element as a long (integral types only; callers check {@link #integral()}). */
    long readLong(ByteBuffer src) {
        return switch (this) {
            case UINT8, BOOL -> src.get() & 0xFF;
            case INT8 -> src.get();
            case INT16 -> src.getShort();
            case UINT16 -> src.getShort() & 0xFFFF;
            case INT32 -> src.getInt();
            case UINT32 -> src.getInt() & 0xFFFFFFFFL;
            case INT64, UINT64 -> src.getLong();
            case FLOAT32, FLOAT64 -> throw new IllegalStateException(this + " is not an integer type");
        };
    }

    private double readDouble(ByteBuffer src) {
        return switch (this) {
            case FLOAT32 -> src.getFloat();
            case FLOAT64 -> src.getDouble();
            case UINT64 -> {
                long v = src.getLong();
                yield v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
            }
            default -> readLong(src);
        };
    }
}
