package io.oddball.runtime.plugin;

import io.oddball.api.DetectorProvider;
import io.oddball.api.EmbedderProvider;
import io.oddball.api.ScorerProvider;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.api.data.DataReaderProvider;
import java.util.function.Function;

/** The kinds of provider a plugin can contribute, with the SPI interface and how to read a provider's name. */
public enum Kind {
    DETECTOR("detector", DetectorProvider.class),
    SCORER("scorer", ScorerProvider.class),
    THRESHOLD("threshold", ThresholdStrategyProvider.class),
    READER("reader", DataReaderProvider.class),
    EMBEDDER("embedder", EmbedderProvider.class);

    private final String label;
    private final Class<?> spi;

    Kind(String label, Class<?> spi) {
        this.label = label;
        this.spi = spi;
    }

    /** Lower-case word for messages and listings. */
    public String label() {
        return label;
    }

    /** The ServiceLoader interface. */
    public Class<?> spi() {
        return spi;
    }

    /** Reads name and version from a provider of this kind. */
    Function<Object, String[]> nameAndVersion() {
        return o -> switch (this) {
            case DETECTOR -> new String[] {((DetectorProvider) o).name(), ((DetectorProvider) o).version()};
            case SCORER -> new String[] {((ScorerProvider) o).name(), ((ScorerProvider) o).version()};
            case THRESHOLD -> new String[] {((ThresholdStrategyProvider) o).name(),
                ((ThresholdStrategyProvider) o).version()};
            case READER -> new String[] {((DataReaderProvider) o).name(), ((DataReaderProvider) o).version()};
            case EMBEDDER -> new String[] {((EmbedderProvider) o).name(), ((EmbedderProvider) o).version()};
        };
    }
}
