package io.oddball.api.error;

/** A saved detector that cannot be loaded: missing files, a newer format version, wrong shapes or corrupted contents. */
public class ModelFormatException extends OddballException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
