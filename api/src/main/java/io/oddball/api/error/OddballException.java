package io.oddball.api.error;

/**
 * Root of Oddball's unchecked exceptions. Messages follow the shape
 * {@code <where>: expected <X>, found <Y>[; hint]} so a user can act on them without a stack trace.
 */
public class OddballException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OddballException(String message) {
        super(message);
    }

    public OddballException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Builds the standard message {@code where: expected X, found Y}. */
    public static String describe(String where, String expected, Object found) {
        return where + ": expected " + expected + ", found " + found;
    }
}
