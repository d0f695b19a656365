package io.oddball.runtime.data;

import io.oddball.api.Params;
import io.oddball.api.error.DataException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads one array of a NumPy {@code .npz} archive (as written by {@code np.savez} or {@code np.savez_compressed}:
 * a zip of {@code .npy} entries, stored or deflated), streamed from the archive like a {@code .npy} file.
 *
 * <p>Options: {@code array} (name of the data array, with or without {@code .npy}; default the first array that is
 * not the labels array), {@code labelsArray} (name of an array of integer labels; default none), {@code maxBytes}
 * (the most bytes a deflated entry may expand to; see {@link DataLimits}). Each entry's CRC-32 is checked when it
 * has been read to its end.
 */
public final class NpzReaderProvider extends AbstractReaderProvider {
    /** Format name. */
    public static final String NAME = "npz";

    private static final String NPY = ".npy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> extensions() {
        return List.of(".npz");
    }

    @Override
    RecordDataset openRecords(Path path, Params options) {
        String array = options.getString("array", null);
        String labelsArray = options.getString("labelsArray", null);
        long maxBytes = DataLimits.maxBytes(options);
        List<String> names = arrays(path);
        String labelsEntry = labelsArray == null ? null : entry(path, names, labelsArray);
        String dataEntry;
        if (array != null) {
            dataEntry = entry(path, names, array);
        } else {
            dataEntry = names.stream().filter(n -> !n.equals(labelsEntry)).findFirst().orElseThrow(
                    () -> new DataException(path + ": expected an array besides the labels, found " + names));
        }
        return new NpyDataset(path + "!" + dataEntry, opener(path, dataEntry, maxBytes),
                labelsEntry == null ? null : opener(path, labelsEntry, maxBytes));
    }

    /** The {@code .npy} entries of the archive, in archive order. */
    private static List<String> arrays(Path path) {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            List<String> names = new ArrayList<>();
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (!e.isDirectory() && e.getName().endsWith(NPY)) {
                    names.add(e.getName());
                }
            }
            if (names.isEmpty()) {
                throw new DataException(path + ": expected a zip archive of .npy arrays, found none in it");
            }
            return names;
        } catch (IOException e) {
            throw RecordInput.failure(path, "a zip archive of .npy arrays (.npz)", e);
        }
    }

    private static String entry(Path path, List<String> names, String array) {
        String name = array.endsWith(NPY) ? array : array + NPY;
        if (!names.contains(name)) {
            throw new DataException(path + ": expected an array named one of "
                    + names.stream().map(n -> n.substring(0, n.length() - NPY.length())).toList() + ", found '"
                    + array + "'");
        }
        return name;
    }

    /**
     * Opens an entry as a stream that closes the archive with it, checks the entry's CRC-32 at its end, and holds at
     * most what the archive's size allows (a deflated entry also at most {@code maxBytes}).
     */
    private static Supplier<RecordInput> opener(Path path, String entryName, long maxBytes) {
        return () -> {
            ZipFile zip = null;
            try {
                zip = new ZipFile(path.toFile());
                ZipEntry entry = zip.getEntry(entryName);
                if (entry == null) {
                    throw new DataException(path + ": expected an entry " + entryName + ", found none");
                }
                ZipFile owner = zip;
                String where = path + "!" + entryName;
                InputStream in = new FilterInputStream(RecordInput.crcChecked(zip.getInputStream(entry), where,
                        entry.getCrc())) {
                    @Override
                    public void close() throws IOException {
                        try {
                            super.close();
                        } finally {
                            owner.close();
                        }
                    }
                };
                // a stored entry holds at most the archive's bytes, a deflated one what they can expand to, and at
                // most maxBytes (a zip bomb declares its huge size honestly: it is refused at the .npy header)
                long archive = java.nio.file.Files.size(path);
                if (entry.getMethod() == ZipEntry.STORED) {
                    return RecordInput.of(where, in, entry.getSize(), archive, false);
                }
                long inflated = RecordInput.inflated(archive);
                return RecordInput.of(where, in, entry.getSize(), Math.min(inflated, maxBytes), maxBytes < inflated);
            } catch (IOException e) {
                closeQuietly(zip);
                throw RecordInput.failure(path, "a readable zip archive", e);
            } catch (RuntimeException e) {
                closeQuietly(zip);
                throw e;
            }
        };
    }

    private static void closeQuietly(ZipFile zip) {
        if (zip != null) {
            try {
                zip.close();
            } catch (IOException e) {
                // already failing
            }
        }
    }
}
