package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Params;
import io.oddball.api.data.DataReaderProvider;
import io.oddball.api.data.Dataset;
import io.oddball.api.error.DataException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        return selection.apply(openRecords(path, options), options);
    }

    /** Opens the file itself (header read and checked), reading this reader's own options. */
    abstract RecordDataset openRecords(Path path, Params options);

    /** Whether a directory is a valid input. */
    boolean acceptsDirectory() {
        return false;
    }

    /** Fails with a DataException unless {@code path} exists (and is a regular file unless directories are allowed). */
    static void requireExists(Path path, boolean directoryAllowed) {
        if (!Files.exists(path)) {
            throw new DataException(path + ": expected an existing file, found nothing (file not found)");
        }
        if (!directoryAllowed && Files.isDirectory(path)) {
            throw new DataException(path + ": expected a file, found a directory");
        }
    }
}
