package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

import io.oddball.api.error.DataException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.GZIPInputStream;

/**
 * A buffered byte stream over one data file (gunzipped transparently when it starts with the gzip magic) that
 * counts its byte offset and turns short reads and I/O failures into {@link DataException}s naming the file, the
 * record and the offset.
 */
final class RecordInput implements AutoCloseable {
    private static final int BUFFER = 1 << 16;

    private final String where;
    private final InputStream in;
    private final boolean compressed;
    /** DEFLATE's largest expansion (about 1032:1): a compressed stream cannot hold more than this per byte. */
    static final long MAX_INFLATION = 1032;

    private final long length;
    private final long bound;
    /** Whether {@link #bound} is the {@code maxBytes} option rather than what the file can hold. */
    private final boolean boundByOption;
    private long offset;

    private RecordInput(String where, InputStream in, boolean compressed, long length, long bound,
            boolean boundByOption) {
        this.where = requireNonNull(where, "where is null");
        this.in = requireNonNull(in, "in is null");
        this.compressed = compressed;
        this.length = length;
        this.bound = bound;
        this.boundByOption = boundByOption;
    }

    /**
     * Opens {@code file} (which must be a regular file: checked before opening, as a FIFO would block), gunzipping it
     * if it starts with the gzip magic bytes; gunzipped data may not exceed {@code maxBytes}.
     */
    static RecordInput open(Path file, long maxBytes) {
        requireNonNull(file, "file is null");
        InputFiles.requireReadable(file.toString(), file, false);
        InputStream raw = null;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
            boolean gz = isGzip(raw);
            long size = Files.size(file);
            if (!gz) {
                return new RecordInput(file.toString(), raw, false, size, size, false);
            }
            long inflated = inflated(size);
            InputStream in = new BufferedInputStream(new Ceiling(new GZIPInputStream(raw, BUFFER), file.toString(),
                    maxBytes), BUFFER);
            return new RecordInput(file.toString(), in, true, -1, Math.min(inflated, maxBytes), maxBytes < inflated);
        } catch (NoSuchFileException e) {
            closeQuietly(raw);
            throw new DataException(file + ": expected an existing file, found nothing (file not found)");
        } catch (IOException e) {
            closeQuietly(raw);
            throw new DataException(file + ": expected a readable " + (raw == null ? "file" : "gzip stream")
                    + ", found " + describe(e), e);
        }
    }

    /**
     * Wraps an already opened stream (an entry of a zip file) whose uncompressed length is known or -1, and which
     * cannot yield more than {@code bound} bytes (e.g. the archive's size times {@link #MAX_INFLATION}, or the
     * {@code maxBytes} option when {@code boundByOption}).
     */
    static RecordInput of(String where, InputStream in, long length, long bound, boolean boundByOption) {
        return new RecordInput(where, new BufferedInputStream(in, BUFFER), false, length,
                length >= 0 ? Math.min(length, bound) : bound, boundByOption && (length < 0 || bound < length));
    }

    /** The most bytes {@code compressedBytes} of DEFLATE data can expand to. */
    static long inflated(long compressedBytes) {
        return compressedBytes > Long.MAX_VALUE / MAX_INFLATION ? Long.MAX_VALUE : compressedBytes * MAX_INFLATION;
    }

    /** The message of a stream that expands past {@code maxBytes}. */
    static DataException tooLarge(String where, long maxBytes) {
        return new DataException(where + ": expected at most " + maxBytes + " bytes once uncompressed (reader option "
                + DataLimits.MAX_BYTES_OPTION + "), found more (the data expand past it: a decompression bomb, or "
                + "data larger than the limit; raise it with " + DataLimits.MAX_BYTES_OPTION + ")");
    }

    /** Decompressed data that stop with a {@link DataException} once more than {@code max} bytes came out. */
    private static final class Ceiling extends FilterInputStream {
        private final String where;
        private final long max;
        private long count;

        Ceiling(InputStream in, String where, long max) {
            super(in);
            this.where = where;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count(k);
            return k;
        }

        private void count(long n) {
            count += n;
            if (count > max) {
                throw tooLarge(where, max);
            }
        }
    }

    /**
     * The bytes of a zip entry, whose CRC-32 is checked against the archive's when the end is reached: a damaged
     * entry (stored or deflated) fails naming it, as NumPy's {@code bad CRC-32} does.
     */
    static InputStream crcChecked(InputStream entry, String where, long expectedCrc) {
        return new FilterInputStream(new CheckedInputStream(entry, new CRC32())) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    check();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    check();
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                // read (not skipped) so that every byte counts in the checksum
                return Math.max(0, read(new byte[(int) Math.max(0, Math.min(n, BUFFER))]));
            }

            private void check() {
                long found = ((CheckedInputStream) in).getChecksum().getValue();
                if (expectedCrc >= 0 && found != expectedCrc) {
                    throw new DataException(where + ": the zip entry's CRC-32: expected " + hex(expectedCrc)
                            + " (from the archive's directory), found " + hex(found) + " (the entry is damaged)");
                }
            }
        };
    }

    private static String hex(long crc) {
        return String.format(java.util.Locale.ROOT, "0x%08x", crc);
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    /** The file (or {@code archive!entry}) for messages. */
    String where() {
        return where;
    }

    /**
     * The most bytes this stream can hold: its length when known, else what its compressed size can expand to.
     * Headers are checked against it before anything of the size they announce is allocated.
     */
    long bound() {
        return bound;
    }

    /**
     * Fails unless {@code records} records of {@code recordBytes} after a header of {@code headerBytes} fit in
     * {@link #bound()}: a corrupted header announcing more than the file can hold is caught before allocating.
     */
    void expectWithinBound(long headerBytes, long records, long recordBytes, String what, long at, Object found) {
        long need = recordBytes == 0 ? headerBytes
                : records > (Long.MAX_VALUE - headerBytes) / recordBytes ? Long.MAX_VALUE
                : headerBytes + records * recordBytes;
        if (need > bound) {
            throw error(what, at, "at most " + bound + " bytes in all (" + (boundByOption ? "the reader option "
                    + DataLimits.MAX_BYTES_OPTION + " for uncompressed data; raise it for larger data"
                    : "what a " + (compressed ? "compressed " : "") + "file of this size can hold") + ")",
                    found + " (" + (need == Long.MAX_VALUE ? "more than 2^63" : need) + " bytes)");
        }
    }

    /** Bytes read so far (uncompressed). */
    long offset() {
        return offset;
    }

    /** Whether the stream is gunzipped (so its length is unknown up front). */
    boolean compressed() {
        return compressed;
    }

    /** Length of the (uncompressed) data when known without reading it, else -1. */
    long length() {
        return length;
    }

    /**
     * A line reader over the rest of the stream (UTF-8) whose lines may be at most {@link DataLimits#MAX_LINE_CHARS}
     * long; offsets are no longer counted.
     */
    LineReader lines() {
        return new LineReader(new InputStreamReader(in, StandardCharsets.UTF_8), DataLimits.MAX_LINE_CHARS);
    }

    /**
     * Reads up to {@code len} bytes, fewer only at the end of the data.
     *
     * @param what what is being read, for messages (e.g. {@code record 12})
     */
    int readUpTo(byte[] buf, int len, String what) {
        int n = 0;
        try {
            while (n < len) {
                int r = in.read(buf, n, len - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            throw new DataException(at(what, offset + n) + ": expected intact " + (compressed ? "gzip " : "")
                    + "data, found " + describe(e), e);
        }
        offset += n;
        return n;
    }

    /** Reads exactly {@code len} bytes or fails naming {@code what} and where the data ended. */
    void readFully(byte[] buf, int len, String what) {
        long start = offset;
        int n = readUpTo(buf, len, what);
        if (n < len) {
            throw truncated(what, start, len, n);
        }
    }

    /** Fails unless the data ends here (no trailing bytes after the last record). */
    void expectEnd(String after) {
        byte[] one = new byte[1];
        if (readUpTo(one, 1, after) > 0) {
            throw new DataException(at(null, offset - 1) + ": expected the end of the data " + after
                    + ", found more bytes");
        }
    }

    /** The error for a record that ends early: {@code file: record 3 at byte offset 2368: expected 784 bytes, found 10}. */
    DataException truncated(String what, long start, long expected, long found) {
        return new DataException(at(what, start) + ": expected " + expected + " bytes, found " + found
                + " (the data ends there)");
    }

    /** An error about the data at {@code offset}: {@code file: what at byte offset N: expected X, found Y}. */
    DataException error(String what, long at, String expected, Object found) {
        return new DataException(at(what, at) + ": expected " + expected + ", found " + found);
    }

    private String at(String what, long at) {
        return where + ": " + (what == null ? "" : what + " at ") + (compressed ? "uncompressed " : "") + "byte offset "
                + at;
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " '" + e.getMessage() + "'");
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // nothing useful to do: the data was read or has already failed
            }
        }
    }

    /** Checks that a file holds exactly the payload its header announces; a no-op when the length is unknown. */
    void expectPayload(long headerBytes, long records, long recordBytes, String description) {
        if (length < 0) {
            return;
        }
        long expected = headerBytes + records * recordBytes;
        if (length == expected) {
            return;
        }
        String detail = headerBytes + "-byte header + " + records + " records x " + recordBytes + " bytes, "
                + description;
        if (length < expected) {
            long record = recordBytes == 0 ? 0 : Math.max(0, (length - headerBytes) / recordBytes);
            throw new DataException(where + ": record " + record + " at byte offset "
                    + (headerBytes + record * recordBytes) + ": expected " + expected + " bytes in all (" + detail
                    + "), found " + length + " bytes (the file is truncated)");
        }
        throw new DataException(where + ": byte offset " + expected + ": expected " + expected + " bytes in all ("
                + detail + "), found " + length + " bytes (" + (length - expected) + " trailing bytes)");
    }

    /** Wraps an I/O failure outside reading (opening, listing) as a DataException naming the file. */
    static DataException failure(Object file, String expected, IOException e) {
        return new DataException(file + ": expected " + expected + ", found " + describe(e), e);
    }
}
