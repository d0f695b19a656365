package io.oddball.tf.io;

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
 * Reads and writes NumPy {@code .npy} arrays (format versions 1–3, C order): float32, float64 and integers. Used
 * to save model arrays and to read test fixtures made with NumPy. Every error is a {@link DataException} naming the
 * file, what was expected and what was found.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final int CHUNK = 1 << 20;

    private Npy() {
    }

    /**
     * What an {@code .npy} header says.
     *
     * @param descr NumPy type string, e.g. {@code <f4}
     * @param shape dimensions (empty for a scalar)
     * @param dataOffset byte offset of the first value
     */
    public record Header(String descr, int[] shape, long dataOffset) {
        /** Number of values. */
        public long size() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** Bytes per value. */
        public int itemSize() {
            return Integer.parseInt(descr.substring(2));
        }

        /** Kind letter: {@code f} float, {@code i} signed, {@code u} unsigned, {@code b} boolean. */
        public char kind() {
            return descr.charAt(1);
        }

        ByteOrder order() {
            return descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
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

    /** Reads and checks the header of {@code file}. */
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
            if (h.descr().substring(1).equals("f4")) {
                readValues(file, ch, h, (buf, at, n) -> buf.asFloatBuffer().get(out, at, n));
            } else if (h.descr().substring(1).equals("f8")) {
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
            if (h.descr().substring(1).equals("f8")) {
                readValues(file, ch, h, (buf, at, n) -> buf.asDoubleBuffer().get(out, at, n));
            } else if (h.descr().substring(1).equals("f4")) {
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

    private static FileChannel open(Path file) throws IOException {
        requireNonNull(file, "file is null");
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        }
    }

    private static Header readHeader(Path file, FileChannel ch) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre);
        if (pre.position() < 10 || !Arrays.equals(Arrays.copyOf(pre.array(), 6), MAGIC)) {
            throw new DataException(file + ": expected a NumPy .npy file (magic \\x93NUMPY), found other content");
        }
        int major = pre.get(6);
        long headerLen;
        long start;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (pre.position() < 12) {
                throw new DataException(file + ": truncated .npy header");
            }
            headerLen = pre.getInt(8) & 0xFFFFFFFFL;
            start = 12;
        } else {
            throw new DataException(file + ": expected .npy format version 1, 2 or 3, found " + major);
        }
        if (headerLen > 1 << 20) {
            throw new DataException(file + ": expected a .npy header under 1 MiB, found " + headerLen + " bytes");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        ch.position(start);
        readFully(ch, hb);
        if (hb.position() < headerLen) {
            throw new DataException(file + ": truncated .npy header: expected " + headerLen + " bytes, found "
                    + hb.position());
        }
        String text = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(text);
        Matcher f = FORTRAN.matcher(text);
        Matcher s = SHAPE.matcher(text);
        if (!d.find() || !f.find() || !s.find()) {
            throw new DataException(file + ": expected a .npy header with descr, fortran_order and shape, found "
                    + text.trim());
        }
        String descr = d.group(1);
        if (!descr.matches("[<>|=][fiub][1248]")) {
            throw new DataException(file + ": expected a numeric dtype (float, int, uint, bool), found " + descr);
        }
        if (descr.charAt(0) == '=') {
            descr = "<" + descr.substring(1);
        }
        if (f.group(1).equals("True")) {
            throw new DataException(file + ": expected a C-order array, found fortran_order True");
        }
        String[] parts = s.group(1).split(",");
        int[] shape = Arrays.stream(parts).map(String::trim).filter(p -> !p.isEmpty()).mapToInt(p -> {
            try {
                return Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new DataException(file + ": expected integer dimensions in shape, found (" + s.group(1) + ")");
            }
        }).toArray();
        Header h = new Header(descr, shape, start + headerLen);
        long expected = h.dataOffset() + h.size() * h.itemSize();
        long found = ch.size();
        if (found != expected) {
            throw new DataException(file + ": expected " + expected + " bytes for a " + descr + " array of shape "
                    + Arrays.toString(shape) + ", found " + found + (found < expected ? " (truncated)" : ""));
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
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            size *= d;
            dims.append(d).append(", ");
        }
        if (size != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size
                    + " values, found " + length);
        }
        String shapeText = shape.length == 1 ? shape[0] + "," : dims.length() == 0 ? ""
                : dims.substring(0, dims.length() - 2);
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + shapeText + "), }");
        int total = 10 + header.length() + 1;
        header.append(" ".repeat((64 - total % 64) % 64)).append('\n');
        byte[] hb = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer pre = ByteBuffer.allocate(10 + hb.length).order(ByteOrder.LITTLE_ENDIAN);
            pre.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) hb.length).put(hb).flip();
            writeFully(ch, pre);
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
}
