package io.oddball.runtime.output;

import io.oddball.api.data.Npy;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.OddballException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes predictions as they are computed, one instance at a time, to CSV ({@code index,instance_score,is_outlier}),
 * JSON ({@code {"meta": {...}, "predictions": [{"index", "instance_score", "is_outlier"}, ...]}}) or NumPy
 * ({@code .npy} structured array with fields {@code instance_score} float32 and {@code is_outlier} bool). Output goes
 * to a temporary file beside the target ({@link OutputFiles#temporarySibling}) renamed into place by {@link #commit()},
 * so an interrupted run leaves no partial file; or, CSV and JSON only, to a stream such as standard output
 * ({@link #toStream}).
 */
public final class PredictionWriter implements AutoCloseable {
    /** Output formats. */
    public enum Format {
        CSV, JSON, NPY;

        /** The format named by a file's extension ({@code .csv}, {@code .json}, {@code .npy}). */
        public static Format fromPath(Path p) {
            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".json")) {
                return JSON;
            }
            if (n.endsWith(".npy")) {
                return NPY;
            }
            if (n.endsWith(".csv")) {
                return CSV;
            }
            throw new ConfigException("--out " + p + ": expected a file ending in .csv, .json or .npy, found '"
                    + p.getFileName() + "'; or give --output-format");
        }
    }

    /** A fixed header size, so that the header is rewritten in place with the final count. */
    private static final int NPY_HEADER = 192;

    private final Path target;
    private final Path tmp;
    /** Writing to a stream ({@link #toStream}): not closed, flushed by {@link #commit()}. */
    private final boolean stream;
    private final Format format;
    private final BufferedWriter text;
    private final FileChannel binary;
    private final ByteBuffer record = ByteBuffer.allocate(5 * 4096).order(ByteOrder.LITTLE_ENDIAN);
    private long count;
    private boolean committed;

    /** Starts writing {@code target} in {@code format}; {@code meta} goes to the JSON header. */
    public PredictionWriter(Path target, Format format, Map<String, Object> meta) {
        this.target = target.toAbsolutePath();
        this.format = format;
        this.stream = false;
        try {
            Files.createDirectories(this.target.getParent());
        } catch (IOException e) {
            throw new OddballException(target + ": cannot write: " + e.getMessage(), e);
        }
        this.tmp = OutputFiles.temporarySibling(this.target);
        try {
            if (format == Format.NPY) {
                text = null;
                binary = new RandomAccessFile(tmp.toFile(), "rw").getChannel();
                binary.write(ByteBuffer.wrap(npyHeader(0)));
            } else {
                binary = null;
                text = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                header(meta);
            }
        } catch (IOException e) {
            OutputFiles.deleteTree(tmp);
            OutputFiles.release(tmp);
            throw new OddballException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    private PredictionWriter(java.io.Writer out, Format format, Map<String, Object> meta) {
        if (format == Format.NPY) {
            throw new ConfigException("--out -: expected csv or json for standard output, found npy (binary); give a "
                    + "file name ending in .npy");
        }
        this.target = null;
        this.tmp = null;
        this.stream = true;
        this.format = format;
        this.binary = null;
        this.text = new BufferedWriter(out);
        try {
            header(meta);
        } catch (IOException e) {
            throw new OddballException("standard output: cannot write: " + e.getMessage(), e);
        }
    }

    /**
     * Writes CSV or JSON to {@code out} as instances are scored (there is no temporary file: an interrupted run leaves
     * the part written); {@link #commit()} flushes it and does not close it.
     */
    public static PredictionWriter toStream(java.io.Writer out, Format format, Map<String, Object> meta) {
        return new PredictionWriter(out, format, meta);
    }

    private void header(Map<String, Object> meta) throws IOException {
        if (format == Format.CSV) {
            text.write("index,instance_score,is_outlier\n");
        } else {
            text.write("{\"meta\": " + Json.write(meta) + ",\n \"predictions\": [");
        }
    }

    private String where() {
        return target == null ? "standard output" : target.toString();
    }

    /** Appends one instance's result. */
    public void write(long index, float score, boolean outlier) {
        try {
            switch (format) {
                case CSV -> {
                    text.write(Long.toString(index));
                    text.write(',');
                    text.write(Float.toString(score));
                    text.write(outlier ? ",1\n" : ",0\n");
                }
                case JSON -> {
                    text.write(count == 0 ? "\n  " : ",\n  ");
                    text.write("{\"index\": " + index + ", \"instance_score\": " + Json.number(score)
                            + ", \"is_outlier\": " + outlier + "}");
                }
                case NPY -> {
                    if (record.remaining() < 5) {
                        flushRecords();
                    }
                    record.putFloat(score);
                    record.put((byte) (outlier ? 1 : 0));
                }
                default -> throw new IllegalStateException();
            }
            count++;
        } catch (IOException e) {
            throw new OddballException(where() + ": cannot write: " + e.getMessage(), e);
        }
    }

    private void flushRecords() throws IOException {
        record.flip();
        while (record.hasRemaining()) {
            binary.write(record);
        }
        record.clear();
    }

    /** Finishes the file and renames it into place. */
    public void commit() {
        try {
            if (format == Format.NPY) {
                flushRecords();
                binary.write(ByteBuffer.wrap(npyHeader(count)), 0);
                binary.close();
            } else {
                if (format == Format.JSON) {
                    text.write("\n ]}\n");
                }
                if (stream) {
                    text.flush();
                    committed = true;
                    return;
                }
                text.close();
            }
            OutputFiles.moveIntoPlace(tmp, target);
            OutputFiles.release(tmp);
            committed = true;
        } catch (IOException e) {
            throw new OddballException(where() + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static byte[] npyHeader(long n) {
        return Npy.headerBytes("[('instance_score', '<f4'), ('is_outlier', '|b1')]", new long[] {n}, NPY_HEADER);
    }

    /** Number of instances written. */
    public long count() {
        return count;
    }

    /** Closes without committing (deletes the temporary file) unless {@link #commit()} was called. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        if (stream) {
            try {
                text.flush();
            } catch (IOException e) {
                // already failing
            }
            return;
        }
        try {
            if (text != null) {
                text.close();
            }
            if (binary != null) {
                binary.close();
            }
        } catch (IOException e) {
            // already failing
        }
        OutputFiles.deleteTree(tmp);
        OutputFiles.release(tmp);
    }

}
