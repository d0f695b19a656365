package io.oddball.runtime.data;

import io.oddball.api.data.Npy;
import io.oddball.api.data.Shape;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A {@code .npy} header as a dataset of instances: read by the api's parser ({@link Npy#readHeader}) from a
 * {@link RecordInput}, whose messages and size bound it uses, then checked for what the runtime needs: a first axis
 * (the instances), instances of at most 512 MiB, and a payload of exactly the announced length (when known) that the
 * input can hold.
 */
final class NpyHeader {
    private final Npy.Header header;
    private final ElementType type;

    private NpyHeader(Npy.Header header) {
        this.header = header;
        this.type = switch (header.kind() + "" + header.itemSize()) {
            case "f4" -> ElementType.FLOAT32;
            case "f8" -> ElementType.FLOAT64;
            case "i1" -> ElementType.INT8;
            case "i2" -> ElementType.INT16;
            case "i4" -> ElementType.INT32;
            case "i8" -> ElementType.INT64;
            case "u1" -> ElementType.UINT8;
            case "u2" -> ElementType.UINT16;
            case "u4" -> ElementType.UINT32;
            case "u8" -> ElementType.UINT64;
            case "b1" -> ElementType.BOOL;
            default -> throw new IllegalStateException("dtype " + header.descr() + " passed the parser");
        };
    }

    ElementType type() {
        return type;
    }

    ByteOrder order() {
        return header.order();
    }

    /** Number of instances (the first axis). */
    int records() {
        return header.shape()[0];
    }

    /** Values per instance (checked by {@link #read} to fit an int). */
    int recordValues() {
        return (int) values();
    }

    /** Values per instance, capped so that no shape overflows a long. */
    private long values() {
        int[] shape = header.shape();
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            n = Math.min(n * shape[i], Integer.MAX_VALUE);
        }
        return n;
    }

    /** Shape of one instance: the array's shape without its first axis, {@code 1} for a rank-1 array. */
    Shape instanceShape() {
        int[] shape = header.shape();
        return shape.length == 1 ? Shape.of(1) : Shape.of(Arrays.copyOfRange(shape, 1, shape.length));
    }

    /** {@code '<f4' (2000, 28, 28)}, for messages. */
    String describe() {
        return header.describe();
    }

    /** Reads the header from the start of {@code in} and checks the payload length when it is known. */
    static NpyHeader read(RecordInput in) {
        Npy.Header parsed = Npy.readHeader(new Npy.Input() {
            @Override
            public void readFully(byte[] buf, int len, String what) {
                in.readFully(buf, len, what);
            }

            @Override
            public RuntimeException error(String what, long at, String expected, String found) {
                return in.error(what, at, expected, found);
            }

            @Override
            public void expectWithinBound(long bytes, String what, long at, String found) {
                in.expectWithinBound(bytes, 0, 0, what, at, found);
            }
        });
        int textAt = parsed.textOffset();
        if (parsed.shape().length == 0) {
            throw in.error("the .npy header", textAt, "an array with a first (instance) axis", "shape ()");
        }
        NpyHeader h = new NpyHeader(parsed);
        long recordBytes = h.values() * h.type.bytes();
        if (recordBytes > Integer.MAX_VALUE / 4) {
            throw in.error("the .npy header", textAt, "at most " + Integer.MAX_VALUE / 4 + " bytes per instance",
                    h.describe());
        }
        long headerBytes = parsed.dataOffset();
        in.expectPayload(headerBytes, h.records(), recordBytes, "from shape and dtype " + h.describe());
        in.expectWithinBound(headerBytes, h.records(), recordBytes, "the .npy header", textAt, h.describe());
        return h;
    }
}
