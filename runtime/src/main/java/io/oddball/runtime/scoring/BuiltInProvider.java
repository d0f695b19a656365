package io.oddball.runtime.scoring;

import static java.util.Objects.requireNonNull;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;

/**
 * Name, version, description and parameter schema of a provider built into the runtime (scorers and threshold
 * strategies), plus the range-checked parameter read they share. Subclasses add {@code create}.
 */
public abstract class BuiltInProvider {
    /** Version of every built-in scorer and threshold strategy. */
    public static final String VERSION = "0.1.0";

    private final String name;
    private final String description;
    private final ConfigSchema configSchema;

    protected BuiltInProvider(String name, String description, ConfigSchema configSchema) {
        this.name = requireNonNull(name, "name is null");
        this.description = requireNonNull(description, "description is null");
        this.configSchema = requireNonNull(configSchema, "configSchema is null");
    }

    /** YAML type name, lower-case kebab. */
    public String name() {
        return name;
    }

    public String version() {
        return VERSION;
    }

    public String description() {
        return description;
    }

    /** The parameters {@code create} reads, with defaults, for documentation and {@code oddball plugins}. */
    public ConfigSchema configSchema() {
        return configSchema;
    }

    /**
     * Reads the number {@code key}; a value outside {@code range} is recorded as a problem (reported by
     * {@link Params#finish()}) and {@code defaultValue} is returned instead, so creation can go on.
     */
    protected static double readDouble(Params params, String key, double defaultValue, NumberRange range) {
        double value = params.getDouble(key, defaultValue);
        if (!range.contains(value)) {
            params.problem(key, range.expected(), params.asMap().get(key));
            return defaultValue;
        }
        return value;
    }

    @Override
    public String toString() {
        return name + " " + VERSION;
    }
}
