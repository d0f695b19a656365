package io.oddball.cli;

/** The CLI's exit codes (a contract: scripts rely on them). */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A runtime failure: unreadable data, a corrupted model, an interrupted run. */
    public static final int FAILURE = 1;
    /** A usage or configuration error: bad arguments, a wrong YAML pipeline, an unknown type. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
