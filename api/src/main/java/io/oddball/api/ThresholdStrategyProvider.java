package io.oddball.api;

/**
 * A named factory of {@link ThresholdStrategy}s (YAML {@code threshold.type}), found through
 * {@link java.util.ServiceLoader}.
 */
public interface ThresholdStrategyProvider {
    String name();

    String version();

    default String description() {
        return "";
    }

    ThresholdStrategy create(Params params);
}
