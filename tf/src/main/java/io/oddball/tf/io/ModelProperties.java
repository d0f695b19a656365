package io.oddball.tf.io;

import static java.util.Objects.requireNonNull;

import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A detector's small state file in {@code .properties} form, with a {@code formatVersion}: written in one call, read
 * back with the version checked and typed getters whose errors are {@link ModelFormatException}s naming the file, the
 * key, what was expected and what was found.
 */
public final class ModelProperties {
    /** The key holding the format version. */
    public static final String FORMAT_VERSION = "formatVersion";

    private final Path file;
    private final Properties properties;

    private ModelProperties(Path file, Properties properties) {
        this.file = file;
        this.properties = properties;
    }

    /** Writes {@code values} (and {@code formatVersion}) to {@code file} with a comment line. */
    public static void write(Path file, int formatVersion, Map<String, String> values, String comment) {
        requireNonNull(file, "file is null");
        requireNonNull(values, "values is null");
        Properties p = new Properties();
        p.setProperty(FORMAT_VERSION, String.valueOf(formatVersion));
        values.forEach(p::setProperty);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, comment);
        } catch (IOException e) {
            throw new DataException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Most bytes of a state file (they hold a few dozen short lines). */
    static final long MAX_BYTES = 1 << 20;

    /**
     * Reads {@code file} (described as {@code what} when missing) and checks that its format version is between 1
     * and {@code newestFormat}.
     */
    public static ModelProperties read(Path file, String what, int newestFormat) {
        requireNonNull(file, "file is null");
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": expected " + what + ", found " + (Files.exists(file)
                    ? "no regular file (a FIFO, device or folder)" : "none"));
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ModelFormatException(file + ": expected " + what + " of at most " + MAX_BYTES
                        + " bytes, found " + Files.size(file));
            }
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        ModelProperties m = new ModelProperties(file, p);
        int version = m.intValue(FORMAT_VERSION);
        if (version > newestFormat || version < 1) {
            throw new ModelFormatException(file + ": " + FORMAT_VERSION + ": expected 1 to " + newestFormat
                    + ", found " + version + (version > newestFormat ? "; saved by a newer Oddball" : ""));
        }
        return m;
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** Whether {@code key} has a value (for keys a later format version added). */
    public boolean has(String key) {
        return properties.getProperty(key) != null;
    }

    /** The trimmed value of {@code key}, which must be present. */
    public String value(String key) {
        String v = properties.getProperty(key);
        if (v == null) {
            throw new ModelFormatException(file + ": " + key + ": expected a value, found none");
        }
        return v.trim();
    }

    /** The integer value of {@code key}. */
    public int intValue(String key) {
        long v = longValue(key);
        if (v != (int) v) {
            throw new ModelFormatException(file + ": " + key + ": expected an integer, found " + v);
        }
        return (int) v;
    }

    /** The long value of {@code key}. */
    public long longValue(String key) {
        String v = value(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file + ": " + key + ": expected an integer, found " + v);
        }
    }

    /** The number value of {@code key}. */
    public double doubleValue(String key) {
        String v = value(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file + ": " + key + ": expected a number, found " + v);
        }
    }
}
