package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.DataReaderProvider;
import io.oddball.api.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Picks the reader for a data path: an explicit format name wins; otherwise a directory is read as
 * {@code images}, and a file by the reader claiming the longest matching name ending (so {@code -ubyte.gz} beats
 * {@code .gz}-less endings and {@code .bin.gz} is CIFAR-10).
 */
public final class DataFormats {
    private DataFormats() {
    }

    /**
     * The reader for {@code path}.
     *
     * @param formatOrNull a format name given by the user (YAML {@code format}, CLI {@code --format}), or null
     * @param readersByName the readers known, by {@link DataReaderProvider#name()}
     * @throws ConfigException for an unknown format name, or a file whose format cannot be told from its name
     * @throws io.oddball.api.error.DataException if {@code path} does not exist
     */
    public static DataReaderProvider resolve(Path path, String formatOrNull,
            Map<String, DataReaderProvider> readersByName) {
        requireNonNull(path, "path is null");
        requireNonNull(readersByName, "readersByName is null");
        if (formatOrNull != null) {
            DataReaderProvider reader = readersByName.get(formatOrNull);
            if (reader == null) { // --format CSV as csv: the readers' names are lower case
                reader = readersByName.get(formatOrNull.toLowerCase(Locale.ROOT));
            }
            if (reader == null) {
                throw new ConfigException("format: expected one of " + new TreeSet<>(readersByName.keySet())
                        + ", found '" + formatOrNull + "'"
                        + io.oddball.api.error.DidYouMean.hint(formatOrNull, readersByName.keySet()));
            }
            AbstractReaderProvider.requireExists(path, true);
            return reader;
        }
        AbstractReaderProvider.requireExists(path, true);
        if (Files.isDirectory(path) && readersByName.containsKey(ImagesReaderProvider.NAME)) {
            return readersByName.get(ImagesReaderProvider.NAME);
        }
        String fileName = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        DataReaderProvider best = null;
        int bestLength = 0;
        for (DataReaderProvider reader : readersByName.values()) {
            for (String ext : reader.extensions()) {
                if (ext.length() > bestLength && fileName.endsWith(ext.toLowerCase(Locale.ROOT))) {
                    best = reader;
                    bestLength = ext.length();
                }
            }
        }
        if (best == null) {
            throw new ConfigException(path + ": expected a file name ending as one of the known formats "
                    + endings(readersByName) + ", found '" + fileName + "'; name the format with --format (YAML "
                    + "format:)");
        }
        return best;
    }

    private static String endings(Map<String, DataReaderProvider> readersByName) {
        StringBuilder b = new StringBuilder();
        new TreeSet<>(readersByName.keySet()).forEach(name -> {
            b.append(b.length() == 0 ? "" : ", ").append(name);
            b.append(' ').append(readersByName.get(name).extensions());
        });
        return "(" + b + ")";
    }
}
