package io.oddball.api.error;

/** A data error: a file that cannot be read, is truncated or corrupted, or holds values of the wrong shape or kind. */
public class DataException extends OddballException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
