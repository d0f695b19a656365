package io.oddball.server;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The protocol's raw tensor encoding (gRPC {@code raw_input_contents}/{@code raw_output_contents} and the REST binary
 * tensor data extension): elements flat, row-major, little-endian, with no padding; BOOL one byte; BYTES each element
 * a 4-byte little-endian length and its bytes.
 */
final class RawTensors {
    private RawTensors() {
    }

    /** Numbers of {@code type} read from all of {@code raw}; {@code where} names the tensor in errors. */
    static double[] numbers(String where, Datatype type, ByteBuffer raw, long count) {
        raw = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (count < 0 || (long) raw.remaining() != count * type.size()) {
            throw InferenceException.badRequest(where + ": expected " + count + " " + type + " values ("
                    + count * type.size() + " bytes of raw data), found " + raw.remaining() + " bytes");
        }
        double[] out = new double[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (type) {
                case BOOL -> raw.get() != 0 ? 1 : 0;
                case UINT8 -> raw.get() & 0xFF;
                case UINT16 -> raw.getShort() & 0xFFFF;
                case UINT32 -> raw.getInt() & 0xFFFF_FFFFL;
                case UINT64 -> unsigned(raw.getLong());
                case INT8 -> raw.get();
                case INT16 -> raw.getShort();
                case INT32 -> raw.getInt();
                case INT64 -> raw.getLong();
                case FP16 -> halfToFloat(raw.getShort());
                case FP32 -> raw.getFloat();
                case FP64 -> raw.getDouble();
                case BYTES -> throw new IllegalArgumentException("BYTES");
            };
        }
        return out;
    }

    /** {@code count} byte strings (each a 4-byte little-endian length, then the bytes) filling all of {@code raw}. */
    static byte[][] byteStrings(String where, ByteBuffer raw, long count) {
        raw = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (count > raw.remaining() / 4) {
            throw InferenceException.badRequest(where + ": expected " + count + " BYTES elements (each a 4-byte "
                    + "length and its bytes), found " + raw.remaining() + " bytes");
        }
        byte[][] out = new byte[(int) Math.min(count, Integer.MAX_VALUE)][];
        for (int i = 0; i < out.length; i++) {
            if (raw.remaining() < 4) {
                throw InferenceException.badRequest(where + ": expected " + count + " BYTES elements (each a 4-byte "
                        + "length and its bytes), found data for " + i);
            }
            long len = raw.getInt() & 0xFFFF_FFFFL;
            if (len > raw.remaining()) {
                throw InferenceException.badRequest(where + ", element " + i + ": expected " + len + " bytes (its "
                        + "length prefix), found " + raw.remaining());
            }
            out[i] = new byte[(int) len];
            raw.get(out[i]);
        }
        if (raw.hasRemaining()) {
            throw InferenceException.badRequest(where + ": expected " + count + " BYTES elements, found "
                    + raw.remaining() + " bytes more");
        }
        return out;
    }

    /** {@code t} encoded raw. */
    static byte[] encode(Tensor t) {
        if (t.datatype() == Datatype.BYTES) {
            int size = 0;
            for (byte[] b : t.byteStrings()) {
                size += 4 + b.length;
            }
            ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            for (byte[] b : t.byteStrings()) {
                out.putInt(b.length).put(b);
            }
            return out.array();
        }
        double[] v = t.numbers();
        ByteBuffer out = ByteBuffer.allocate(v.length * t.datatype().size()).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            switch (t.datatype()) {
                case BOOL, UINT8, INT8 -> out.put((byte) (long) x);
                case UINT16, INT16 -> out.putShort((short) (long) x);
                case UINT32, INT32 -> out.putInt((int) (long) x);
                case UINT64, INT64 -> out.putLong((long) x);
                case FP16 -> out.putShort(floatToHalf((float) x));
                case FP32 -> out.putFloat((float) x);
                case FP64 -> out.putDouble(x);
                case BYTES -> throw new IllegalArgumentException("BYTES");
            }
        }
        return out.array();
    }

    private static double unsigned(long v) {
        double d = (double) (v & Long.MAX_VALUE);
        return v < 0 ? d + 0x1p63 : d;
    }

    /** IEEE 754 half precision to float. */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** Float to IEEE 754 half precision (round to nearest even; out of range to infinity). */
    static short floatToHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mant = bits & 0x7F_FFFF;
        if (((bits >>> 23) & 0xFF) == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 : 0));
        }
        if (exp >= 31) {
            return (short) (sign | 0x7C00);
        }
        if (exp <= 0) {
            if (exp < -10) {
                return (short) sign;
            }
            mant |= 0x80_0000;
            int shift = 14 - exp;
            int half = mant >> shift;
            int rest = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rest > mid || (rest == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = sign | (exp << 10) | (mant >> 13);
        int rest = mant & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return (short) half;
    }
}
