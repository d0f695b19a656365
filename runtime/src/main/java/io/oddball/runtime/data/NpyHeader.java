package io.oddball.runtime.data;

import io.oddball.api.data.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} array (format versions 1 to 3): element type, byte order and shape. Only C-order
 * arrays of plain numeric dtypes are accepted; the first axis is the instances.
 */
final class NpyHeader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([a-zA-Z])(\\d+)'");
    private static final Pattern ANY_DESCR = Pattern.compile("'descr'\\s*:\\s*([^,}]+(?:\\][^,}]*)?)");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final String SUPPORTED = "a dtype f4, f8, i1, i2, i4, i8, u1, u2, u4, u8 or b1 (e.g. '<f4')";

    private final ElementType type;
    private final ByteOrder order;
    private final int[] shape;
    private final long headerBytes;
    private final String descr;

    private NpyHeader(ElementType type, ByteOrder order, int[] shape, long headerBytes, String descr) {
        this.type = type;
        this.order = order;
        this.shape = shape;
        this.headerBytes = headerBytes;
        this.descr = descr;
    }

    ElementType type() {
        return type;
    }

    ByteOrder order() {
        return order;
    }

    /** Number of instances (the first axis). */
    int records() {
        return shape[0];
    }

    /** Values per instance (checked by {@link #read} to fit an int). */
    int recordValues() {
        return (int) values();
    }

    /** Values per instance, capped so that no shape overflows a long. */
    private long values() {
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            n = Math.min(n * shape[i], Integer.MAX_VALUE);
        }
        return n;
    }

    int rank() {
        return shape.length;
    }

    /** Shape of one instance: the array's shape without its first axis, {@code 1} for a rank-1 array. */
    Shape instanceShape() {
        return shape.length == 1 ? Shape.of(1) : Shape.of(Arrays.copyOfRange(shape, 1, shape.length));
    }

    /** {@code '<f4' (2000, 28, 28)}, for messages. */
    String describe() {
        return "'" + descr + "' " + Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }

    /** Reads the header from the start of {@code in} and checks the payload length when it is known. */
    static NpyHeader read(RecordInput in) {
        byte[] head = new byte[10];
        in.readFully(head, 8, "the .npy magic");
        if (!Arrays.equals(head, 0, 6, MAGIC, 0, 6)) {
            throw in.error("the .npy magic", 0, "\\x93NUMPY", quote(new String(head, 0, 6,
                    StandardCharsets.ISO_8859_1)));
        }
        int major = head[6] & 0xFF;
        if (major < 1 || major > 3) {
            throw in.error("the .npy version", 6, "format version 1, 2 or 3", major + "." + (head[7] & 0xFF));
        }
        int lengthBytes = major == 1 ? 2 : 4;
        in.readFully(head, lengthBytes, "the .npy header length");
        ByteBuffer lb = ByteBuffer.wrap(head, 0, lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        long textLength = major == 1 ? lb.getShort() & 0xFFFF : lb.getInt() & 0xFFFFFFFFL;
        if (textLength > 1 << 20) {
            throw in.error("the .npy header length", 8, "a header of at most 1 MiB", textLength + " bytes");
        }
        in.expectWithinBound(8 + lengthBytes, 1, textLength, "the .npy header length", 8, textLength + " bytes");
        byte[] textBytes = new byte[(int) textLength];
        in.readFully(textBytes, textBytes.length, "the .npy header");
        String text = new String(textBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        long headerBytes = 8 + lengthBytes + textLength;
        int textAt = 8 + lengthBytes;

        Matcher fortran = FORTRAN.matcher(text);
        if (!fortran.find()) {
            throw in.error("the .npy header", textAt, "a 'fortran_order' entry", quote(text.trim()));
        }
        if (fortran.group(1).equals("True")) {
            throw in.error("the .npy header", textAt, "'fortran_order': False (C order)",
                    "'fortran_order': True; save the array with np.ascontiguousarray");
        }
        Matcher d = DESCR.matcher(text);
        if (!d.find()) {
            Matcher any = ANY_DESCR.matcher(text);
            throw in.error("the .npy header", textAt, SUPPORTED, any.find() ? any.group(1).trim() : quote(text.trim()));
        }
        String descr = d.group(1) + d.group(2) + d.group(3);
        ElementType type = type(d.group(2) + d.group(3));
        if (type == null) {
            throw in.error("the .npy header", textAt, SUPPORTED, quote(descr));
        }
        ByteOrder order = switch (d.group(1)) {
            case ">" -> ByteOrder.BIG_ENDIAN;
            case "<" -> ByteOrder.LITTLE_ENDIAN;
            default -> ByteOrder.nativeOrder();
        };
        int[] shape = shape(in, text, textAt);
        NpyHeader h = new NpyHeader(type, order, shape, headerBytes, descr);
        long recordBytes = h.values() * type.bytes();
        if (recordBytes > Integer.MAX_VALUE / 4) {
            throw in.error("the .npy header", textAt, "at most " + Integer.MAX_VALUE / 4 + " bytes per instance",
                    h.describe());
        }
        in.expectPayload(headerBytes, h.records(), recordBytes, "from shape and dtype " + h.describe());
        in.expectWithinBound(headerBytes, h.records(), recordBytes, "the .npy header", textAt, h.describe());
        return h;
    }

    private static int[] shape(RecordInput in, String text, int textAt) {
        Matcher s = SHAPE.matcher(text);
        if (!s.find()) {
            throw in.error("the .npy header", textAt, "a 'shape' tuple", quote(text.trim()));
        }
        String[] parts = s.group(1).split(",");
        int[] dims = Arrays.stream(parts).map(String::trim).filter(p -> !p.isEmpty()).mapToInt(p -> {
            try {
                return Integer.parseInt(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
            } catch (NumberFormatException e) {
                throw in.error("the .npy header", textAt, "a shape of non-negative integers", "(" + s.group(1) + ")");
            }
        }).toArray();
        if (dims.length == 0) {
            throw in.error("the .npy header", textAt, "an array with a first (instance) axis", "shape ()");
        }
        if (Arrays.stream(dims).anyMatch(x -> x < 0)) {
            throw in.error("the .npy header", textAt, "a shape of non-negative integers", "(" + s.group(1) + ")");
        }
        return dims;
    }

    private static ElementType type(String code) {
        return switch (code) {
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
            default -> null;
        };
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }
}
