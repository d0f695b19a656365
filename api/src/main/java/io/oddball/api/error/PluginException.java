package io.oddball.api.error;

/** A plugin that cannot be used: a jar that fails to load, a provider that throws, a duplicate name or an unknown type. */
public class PluginException extends OddballException {
    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
