package io.oddball.api.data;

import static java.util.Objects.requireNonNull;

import io.oddball.api.error.DataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} arrays (format versions 1 to 3, C order, the numeric dtypes of {@link #DTYPES}): the header
 * model, Oddball's one header parser, and whole arrays read from and written to files.
 *
 * <p>The parser, {@link #readHeader(Input)}, reads from an {@link Input}, which also turns each problem into the
 * exception to throw: the runtime's readers stream {@code .npy} files and {@code .npz} entries through it with their
 * own byte offsets and size bounds, and the file functions here ({@link #header}, {@link #readFloats},
 * {@link #readDoubles}, {@link #readLongs}, {@code write}) use it over a file, so that every error is a
 * {@link DataException} naming the file, what was expected and what was found. Memory stays bounded: the header text
 * is at most 1 MiB, and a file's length is checked against its header before its values are allocated.
 */
public final class Npy {
    /** The dtypes read, as the parser's messages name them. */
    public static final String DTYPES = "a dtype f4, f8, i1, i2, i4, i8, u1, u2, u4, u8 or b1 (e.g. '<f4')";

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([a-zA-Z])(\\d+)'");
    private static final Pattern ANY_DESCR = Pattern.compile("'descr'\\s*:\\s*([^,}]+(?:\\][^,}]*)?)");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern SUPPORTED = Pattern.compile("[<>|=]?(f[48]|[iu][1248]|b1)");
    private static final int MAX_HEADER_TEXT = 1 << 20;
    private static final int ALIGN = 64;
    private static final int CHUNK = 1 << 20;

    private Npy() {
    }

    /**
     * Where a header is read from, and how its problems become exceptions. The runtime implements it over its
     * streamed record input; {@link Npy}'s file functions over a file channel.
     */
    public interface Input {
        /**
         * Reads exactly {@code len} bytes into {@code buf} from index 0, or throws naming {@code what} and where the
         * data ended.
         *
         * @param what what is read, for messages (e.g. {@code the .npy magic})
         */
        void readFully(byte[] buf, int len, String what);

        /**
         * The exception for a problem in the data (the parser throws it): {@code what} at byte offset {@code at}:
         * expected {@code expected}, found {@code found}.
         */
        RuntimeException error(String what, long at, String expected, String found);

        /**
         * Throws unless the data can hold {@code bytes} bytes in all; called before the header text is allocated, so
         * that a corrupted length is caught without allocating it. The default checks nothing (the text is at most
         * 1 MiB anyway).
         *
         * @param bytes the bytes the header announces so far, from the start of the data
         * @param what what announces them, for the message (as in {@link #error})
         * @param at byte offset of what announces them
         * @param found what it announces, for the message
         */
        default void expectWithinBound(long bytes, String what, long at, String found) {
        }
    }

    /**
     * What an {@code .npy} header says.
     *
     * @param version format version, 1 to 3
     * @param descr NumPy type string as written, one of {@link #DTYPES} with or without its byte-order character,
     *     e.g. {@code <f4} or {@code |u1}
     * @param shape dimensions (empty for a scalar)
     * @param dataOffset byte offset of the first value (the header's length)
     */
    public record Header(int version, String descr, int[] shape, long dataOffset) {
        /** Checks the values. */
        public Header {
            requireNonNull(descr, "descr is null");
            requireNonNull(shape, "shape is null");
            if (version < 1 || version > 3) {
                throw new IllegalArgumentException("version " + version + " is not 1, 2 or 3");
            }
            if (!SUPPORTED.matcher(descr).matches()) {
                throw new IllegalArgumentException("descr '" + descr + "' is not " + DTYPES);
            }
        }

        /** Byte offset of the header text (after the magic, the version and the text's length). */
        public int textOffset() {
            return version == 1 ? 10 : 12;
        }

        /** Kind letter: {@code f} float, {@code i} signed, {@code u} unsigned, {@code b} boolean. */
        public char kind() {
            return descr.charAt(descr.length() - 2);
        }

        /** Bytes per value. */
        public int itemSize() {
            return descr.charAt(descr.length() - 1) - '0';
        }

        /** Byte order of the values ({@code |}, {@code =} and none are the platform's). */
        public ByteOrder order() {
            return switch (descr.charAt(0)) {
                case '>' -> ByteOrder.BIG_ENDIAN;
                case '<' -> ByteOrder.LITTLE_ENDIAN;
                default -> ByteOrder.nativeOrder();
            };
        }

        /** Number of values ({@link Long#MAX_VALUE} if more). */
        public long size() {
            long n = 1;
            for (int d : shape) {
                if (d == 0) {
                    return 0;
                }
                n = n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
            }
            return n;
        }

        /** {@code '<f4' (2000, 28, 28)}, for messages. */
        public String describe() {
            return "'" + descr + "' " + Arrays.toString(shape).replace('[', '(').replace(']', ')');
        }
    }

    /**
     * A float array read from a file.
     *
     * @param shape dimensions
     * @param data values, C order
     */
    public record FloatArray(int[] shape, float[] data) {
    }

    /**
     * A double array read from a file.
     *
     * @param shape dimensions
     * @param data values, C order
     */
    public record DoubleArray(int[] shape, double[] data) {
    }

    /**
     * An integer array read from a file (any integer or boolean type, widened to long).
     *
     * @param shape dimensions
     * @param data values, C order
     */
    public record LongArray(int[] shape, long[] data) {
    }

    /**
     * Reads a header from the start of {@code in}, leaving it at the first value. Checks the magic, the version, the
     * header text's length (at most 1 MiB, and within {@link Input#expectWithinBound} before it is allocated), that
     * the array is in C order, its dtype (one of {@link #DTYPES}) and that its shape holds non-negative integers.
     * What follows the header (how many bytes, what the shape must be) is the caller's to check.
     */
    public static Header readHeader(Input in) {
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
        if (textLength > MAX_HEADER_TEXT) {
            throw in.error("the .npy header length", 8, "a header of at most 1 MiB", textLength + " bytes");
        }
        int textAt = 8 + lengthBytes;
        in.expectWithinBound(textAt + textLength, "the .npy header length", 8, textLength + " bytes");
        byte[] textBytes = new byte[(int) textLength];
        in.readFully(textBytes, textBytes.length, "the .npy header");
        String text = new String(textBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

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
            throw in.error("the .npy header", textAt, DTYPES, any.find() ? any.group(1).trim() : quote(text.trim()));
        }
        String descr = d.group(1) + d.group(2) + d.group(3);
        if (!SUPPORTED.matcher(descr).matches()) {
            throw in.error("the .npy header", textAt, DTYPES, quote(descr));
        }
        return new Header(major, descr, shape(in, text, textAt), textAt + textLength);
    }

    private static int[] shape(Input in, String text, int textAt) {
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
        if (Arrays.stream(dims).anyMatch(x -> x < 0)) {
            throw in.error("the .npy header", textAt, "a shape of non-negative integers", "(" + s.group(1) + ")");
        }
        return dims;
    }

    /**
     * A version-1 header for an array of {@code shape}, padded with spaces so that the values start at a multiple of
     * 64 bytes and at no less than {@code minBytes} (a writer that learns the number of rows at the end rewrites its
     * header in place at a fixed size).
     *
     * @param descr the dtype as the header's Python literal: {@code '<f4'} (quoted), or a structured dtype such as
     *     {@code [('score', '<f4'), ('flag', '|b1')]}
     */
    public static byte[] headerBytes(String descr, long[] shape, int minBytes) {
        requireNonNull(descr, "descr is null");
        requireNonNull(shape, "shape is null");
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (shape.length == 1) {
            dims.append(',');
        }
        String dict = "{'descr': " + descr + ", 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = 10 + dict.length() + 1;
        int total = Math.max(unpadded, minBytes);
        total += (ALIGN - total % ALIGN) % ALIGN;
        byte[] text = (dict + " ".repeat(total - unpadded) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        if (text.length > 0xFFFF) {
            throw new IllegalArgumentException("a .npy header of " + text.length + " bytes needs format version 2");
        }
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return b.array();
    }

    /** Reads and checks the header of {@code file}, and that the file holds exactly the values it announces. */
    public static Header header(Path file) {
        try (FileChannel ch = open(file)) {
            return readHeader(file, ch);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a float32 array; a float64 file is narrowed to float32. */
    public static FloatArray readFloats(Path file) {
        try (FileChannel ch = open(file)) {
            Header h = readHeader(file, ch);
            float[] out = new float[arrayLength(file, h)];
            if (isFloat(h, 4)) {
                readValues(file, ch, h, (buf, at, n) -> buf.asFloatBuffer().get(out, at, n));
            } else if (isFloat(h, 8)) {
                readValues(file, ch, h, (buf, at, n) -> {
                    for (int i = 0; i < n; i++) {
                        out[at + i] = (float) buf.getDouble(i * 8);
                    }
                });
            } else {
                throw new DataException(file + ": expected a float32 or float64 array, found dtype " + h.descr());
            }
            return new FloatArray(h.shape(), out);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a float64 array; a float32 file is widened. */
    public static DoubleArray readDoubles(Path file) {
        try (FileChannel ch = open(file)) {
            Header h = readHeader(file, ch);
            double[] out = new double[arrayLength(file, h)];
            if (isFloat(h, 8)) {
                readValues(file, ch, h, (buf, at, n) -> buf.asDoubleBuffer().get(out, at, n));
            } else if (isFloat(h, 4)) {
                readValues(file, ch, h, (buf, at, n) -> {
                    for (int i = 0; i < n; i++) {
                        out[at + i] = buf.getFloat(i * 4);
                    }
                });
            } else {
                throw new DataException(file + ": expected a float64 or float32 array, found dtype " + h.descr());
            }
            return new DoubleArray(h.shape(), out);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads an integer or boolean array, widened to long. */
    public static LongArray readLongs(Path file) {
        try (FileChannel ch = open(file)) {
            Header h = readHeader(file, ch);
            char kind = h.kind();
            int size = h.itemSize();
            if (!(kind == 'i' || kind == 'u' || kind == 'b')) {
                throw new DataException(file + ": expected an integer array, found dtype " + h.descr());
            }
            long[] out = new long[arrayLength(file, h)];
            readValues(file, ch, h, (buf, at, n) -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = switch (size) {
                        case 1 -> kind == 'i' ? buf.get(i) : buf.get(i) & 0xFF;
                        case 2 -> kind == 'i' ? buf.getShort(i * 2) : buf.getShort(i * 2) & 0xFFFF;
                        case 4 -> kind == 'i' ? buf.getInt(i * 4) : buf.getInt(i * 4) & 0xFFFFFFFFL;
                        default -> buf.getLong(i * 8);
                    };
                }
            });
            return new LongArray(h.shape(), out);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Writes {@code data} as a little-endian float32 array of {@code shape}. */
    public static void write(Path file, int[] shape, float[] data) {
        requireNonNull(data, "data is null");
        write(file, "<f4", shape, data.length, 4, (buf, at, n) -> buf.asFloatBuffer().put(data, at, n));
    }

    /** Writes {@code data} as a little-endian float64 array of {@code shape}. */
    public static void write(Path file, int[] shape, double[] data) {
        requireNonNull(data, "data is null");
        write(file, "<f8", shape, data.length, 8, (buf, at, n) -> buf.asDoubleBuffer().put(data, at, n));
    }

    /** Writes {@code data} as a little-endian int64 array of {@code shape}. */
    public static void write(Path file, int[] shape, long[] data) {
        requireNonNull(data, "data is null");
        write(file, "<i8", shape, data.length, 8, (buf, at, n) -> buf.asLongBuffer().put(data, at, n));
    }

    @FunctionalInterface
    private interface Chunk {
        /** Moves {@code n} values between {@code buf} (positioned at 0) and the array at {@code at}. */
        void apply(ByteBuffer buf, int at, int n);
    }

    /** The parser's input over a file: messages name the file and the byte offset. */
    private static final class FileInput implements Input {
        private final Path file;
        private final FileChannel ch;
        private long offset;

        FileInput(Path file, FileChannel ch) {
            this.file = file;
            this.ch = ch;
        }

        @Override
        public void readFully(byte[] buf, int len, String what) {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
            try {
                Npy.readFully(ch, b);
            } catch (IOException e) {
                throw new DataException(file + ": cannot read: " + e.getMessage(), e);
            }
            if (b.position() < len) {
                throw new DataException(file + ": " + what + " at byte offset " + offset + ": expected " + len
                        + " bytes, found " + b.position() + " (the data ends there)");
            }
            offset += len;
        }

        @Override
        public RuntimeException error(String what, long at, String expected, String found) {
            return new DataException(file + ": " + what + " at byte offset " + at + ": expected " + expected
                    + ", found " + found);
        }
    }

    private static boolean isFloat(Header h, int itemSize) {
        return h.kind() == 'f' && h.itemSize() == itemSize;
    }

    private static FileChannel open(Path file) throws IOException {
        requireNonNull(file, "file is null");
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        }
    }

    /** Reads the header of {@code file} and checks the file's length against it. */
    private static Header readHeader(Path file, FileChannel ch) throws IOException {
        Header h = readHeader(new FileInput(file, ch));
        long size = h.size();
        long expected = size > (Long.MAX_VALUE - h.dataOffset()) / h.itemSize() ? Long.MAX_VALUE
                : h.dataOffset() + size * h.itemSize();
        long found = ch.size();
        if (found != expected) {
            throw new DataException(file + ": expected " + expected + " bytes for a " + h.descr()
                    + " array of shape " + Arrays.toString(h.shape()) + ", found " + found
                    + (found < expected ? " (truncated)" : ""));
        }
        return h;
    }

    private static int arrayLength(Path file, Header h) {
        if (h.size() > Integer.MAX_VALUE - 8) {
            throw new DataException(file + ": expected at most " + (Integer.MAX_VALUE - 8)
                    + " values to hold in memory, found " + h.size());
        }
        return (int) h.size();
    }

    private static void readValues(Path file, FileChannel ch, Header h, Chunk chunk) throws IOException {
        int item = h.itemSize();
        int perChunk = CHUNK / item;
        ByteBuffer buf = ByteBuffer.allocateDirect(perChunk * item).order(h.order());
        ch.position(h.dataOffset());
        long total = h.size();
        long done = 0;
        while (done < total) {
            int n = (int) Math.min(perChunk, total - done);
            buf.clear().limit(n * item);
            readFully(ch, buf);
            if (buf.position() < n * item) {
                throw new DataException(file + ": truncated at value " + (done + buf.position() / item));
            }
            buf.flip();
            chunk.apply(buf, (int) done, n);
            done += n;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                return;
            }
        }
    }

    private static void write(Path file, String descr, int[] shape, int length, int item, Chunk chunk) {
        requireNonNull(file, "file is null");
        requireNonNull(shape, "shape is null");
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size
                    + " values, found " + length);
        }
        byte[] header = headerBytes("'" + descr + "'", Arrays.stream(shape).asLongStream().toArray(), 0);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(header));
            int perChunk = CHUNK / item;
            ByteBuffer buf = ByteBuffer.allocateDirect(perChunk * item).order(ByteOrder.LITTLE_ENDIAN);
            for (int done = 0; done < length; done += perChunk) {
                int n = Math.min(perChunk, length - done);
                buf.clear();
                chunk.apply(buf, done, n);
                buf.limit(n * item);
                writeFully(ch, buf);
            }
        } catch (IOException e) {
            throw new DataException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }
}
