package io.oddball.api;

import java.util.List;

/**
 * The parameters a component reads: for documentation, {@code oddball plugins} and config tests.
 *
 * @param params each parameter, in the order they are documented
 */
public record ConfigSchema(List<Param> params) {
    public ConfigSchema {
        params = List.copyOf(params);
    }

    /** A schema of the given parameters. */
    public static ConfigSchema of(Param... params) {
        return new ConfigSchema(List.of(params));
    }

    /**
     * One parameter.
     *
     * @param name YAML key
     * @param type {@code int}, {@code double}, {@code string}, {@code boolean}, {@code list} or {@code map}
     * @param defaultValue the value used when absent, as text ({@code ""} for none)
     * @param description what it does
     */
    public record Param(String name, String type, String defaultValue, String description) {
    }
}
