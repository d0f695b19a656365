package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines as {@link java.io.BufferedReader#readLine} does (ended by {@code \n}, {@code \r} or {@code \r\n}), but
 * never more than {@code maxChars} characters per line: a file without line breaks (gzipped zeros, a binary file)
 * fails at that length instead of filling the memory.
 */
final class LineReader implements AutoCloseable {
    /** Thrown (unchecked) for a line longer than the limit; the caller words the message. */
    static final class TooLong extends RuntimeException {
        TooLong() {
            super(null, null, false, false);
        }
    }

    private final Reader in;
    private final int maxChars;
    private final char[] buf = new char[1 << 13];
    private int pos;
    private int end;
    private boolean skipLf;

    LineReader(Reader in, int maxChars) {
        this.in = requireNonNull(in, "in is null");
        this.maxChars = maxChars;
    }

    /** Longest line accepted, in characters. */
    int maxChars() {
        return maxChars;
    }

    /**
     * The next line without its end, or null at the end of the data.
     *
     * @throws TooLong when the line has more than {@link #maxChars()} characters
     */
    String readLine() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (pos >= end && !fill()) {
                return line == null || line.isEmpty() ? null : line.toString();
            }
            if (skipLf) {
                skipLf = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            while (pos < end && buf[pos] != '\n' && buf[pos] != '\r') {
                pos++;
            }
            int n = pos - start;
            if ((line == null ? 0 : line.length()) + (long) n > maxChars) {
                throw new TooLong();
            }
            if (pos < end) {
                skipLf = buf[pos++] == '\r';
                return line == null ? new String(buf, start, n) : line.append(buf, start, n).toString();
            }
            if (n > 0) {
                line = line == null ? new StringBuilder() : line;
                line.append(buf, start, n);
            }
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        while (n == 0) {
            n = in.read(buf, 0, buf.length);
        }
        if (n < 0) {
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
