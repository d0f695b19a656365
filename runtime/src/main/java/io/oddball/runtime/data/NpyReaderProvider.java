package io.oddball.runtime.data;

import io.oddball.api.Params;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a NumPy {@code .npy} array (C order; float32, float64, signed and unsigned integers, bool; any rank, the
 * first axis being the instances; a rank-1 array gives instances of shape {@code 1}).
 *
 * <p>Options: {@code labels} (path of a {@code .npy} array of integer labels, one per instance; default none),
 * {@code maxBytes} (for a gzipped array; see {@link DataLimits}).
 */
public final class NpyReaderProvider extends AbstractReaderProvider {
    /** Format name. */
    public static final String NAME = "npy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> extensions() {
        return List.of(".npy", ".npy.gz");
    }

    @Override
    RecordDataset openRecords(Path path, Params options) {
        String labels = options.getString("labels", null);
        long maxBytes = DataLimits.maxBytes(options);
        Path labelsPath = labels == null ? null : Path.of(labels);
        if (labelsPath != null) {
            requireExists(labelsPath, false);
        }
        return new NpyDataset(path.toString(), () -> RecordInput.open(path, maxBytes),
                labelsPath == null ? null : () -> RecordInput.open(labelsPath, maxBytes));
    }
}
