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

    /** Most problems the message lists; {@link #problems()} holds them all. */
    public static final int MAX_LISTED = 20;

    /**
     * One exception for several problems; the message lists them one a line, the first {@value #MAX_LISTED} of them
     * and then how many more there are.
     */
    public ConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(List<String> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        List<String> listed = problems.size() > MAX_LISTED ? problems.subList(0, MAX_LISTED) : problems;
        String more = problems.size() > MAX_LISTED ? "\n  ... and " + (problems.size() - MAX_LISTED) + " more" : "";
        return problems.size() + " configuration problems:\n  " + String.join("\n  ", listed) + more;
    }

    /** Each problem on its own, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
