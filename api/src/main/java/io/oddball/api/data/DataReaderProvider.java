package io.oddball.api.data;

import io.oddball.api.Params;
import java.nio.file.Path;
import java.util.List;

/**
 * A named reader of one data format (YAML {@code format:} / CLI {@code --format}), found through
 * {@link java.util.ServiceLoader}. Opening must be cheap: read the header, check it, and stream the rest.
 */
public interface DataReaderProvider {
    /** Format name, lower-case kebab, e.g. {@code idx}, {@code cifar10}, {@code npy}, {@code csv}, {@code images}. */
    String name();

    /** Version of the reader implementation. */
    String version();

    /** File name endings this reader claims when no format is given, e.g. {@code .npy}; may be empty. */
    List<String> extensions();

    /**
     * Opens {@code path} as a dataset. Options ({@code labelColumn}, {@code limit}, ...) are read from
     * {@code options}; any left unread is reported by the caller.
     *
     * @throws io.oddball.api.error.DataException if the file is missing, truncated or not of this format; the
     *     message names the file
     */
    Dataset open(Path path, Params options);
}
