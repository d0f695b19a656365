package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Params;
import io.oddball.api.data.DataReaderProvider;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What every reader shares: the file check, the common options of {@link Selection} and the version. */
abstract class AbstractReaderProvider implements DataReaderProvider {
    static final String VERSION = "1.0";

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public final Dataset open(Path path, Params options) {
        requireNonNull(path, "path is null");
        requireNonNull(options, "options is null");
        requireExists(path, acceptsDirectory());
        Selection selection = Selection.read(options);
        Object shapeOption = options.getRaw(Shapes.OPTION);
        RecordDataset records = openRecords(path, options);
        if (records.instanceShape().size() == 0) {
            throw new DataException(path + ": expected at least one value per instance, found instances of shape "
                    + records.instanceShape());
        }
        Dataset d = selection.apply(records, options);
        if (shapeOption == null) {
            return d;
        }
        Shape shape = parseShape(shapeOption);
        String given = shapeOption instanceof String s ? "'" + s + "'" : String.valueOf(shapeOption);
        if (shape == null) {
            options.problem(Shapes.OPTION, "a shape such as [28, 28, 1] or 28,28,1 (positive integers)",
                    new Text(given));
            return d;
        }
        if (shape.size() != d.instanceShape().size()) {
            options.problem(Shapes.OPTION, "a shape of " + d.instanceShape().size() + " values per instance (as "
                    + path + " has: " + Shapes.describe(d.instanceShape()) + ")",
                    new Text(given + " (" + shape.size() + " values)"));
            return d;
        }
        return Shapes.reshape(d, shape);
    }

    /** A found value already worded for a message. */
    private record Text(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** The {@code shape} option: a list of integers, one integer, or text such as {@code 28,28,1}; null if invalid. */
    static Shape parseShape(Object v) {
        List<Integer> dims = new ArrayList<>();
        if (v instanceof Integer i) {
            dims.add(i);
        } else if (v instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Integer i)) {
                    return null;
                }
                dims.add(i);
            }
        } else if (v instanceof String s) {
            String t = s.replace("[", "").replace("]", "").replace("(", "").replace(")", "").trim();
            for (String part : t.split("\\s*[x×,]\\s*")) {
                try {
                    dims.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        } else {
            return null;
        }
        if (dims.isEmpty() || dims.stream().anyMatch(d -> d < 1)) {
            return null;
        }
        return Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Opens the file itself (header read and checked), reading this reader's own options. */
    abstract RecordDataset openRecords(Path path, Params options);

    /** Whether a directory is a valid input. */
    boolean acceptsDirectory() {
        return false;
    }

    /**
     * Fails unless {@code path} is a regular file (or a directory where allowed), before anything opens it: a path
     * that does not exist is a usage error ({@link ConfigException}, exit 2), a directory where a file belongs, a
     * FIFO, a socket or a device a {@link DataException} (exit 1). See {@link InputFiles#requireReadable}.
     */
    static void requireExists(Path path, boolean directoryAllowed) {
        InputFiles.requireReadable(path.toString(), path, directoryAllowed);
    }
}
