package io.oddball.api.error;

import java.util.List;

/**
 * A configuration error: a YAML pipeline, a parameter or a command-line argument that is missing, unknown or of the
 * wrong type or range. Holds every problem found, so a user fixes them all in one go.
 */
public class ConfigException extends OddballException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /** One exception for several problems; the message lists them one a line. */
    public ConfigException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0)
                : problems.size() + " configuration problems:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem on its own, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
