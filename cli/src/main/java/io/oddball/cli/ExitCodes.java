package io.oddball.cli;

/**
 * The CLI's exit codes (a contract: scripts rely on them). One rule for paths: a path that does not exist, given on the
 * command line or in YAML, is a usage error (2); a file that exists but cannot be read or parsed is a runtime failure
 * (1).
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A runtime failure: data or a saved detector that exists but cannot be read, a failed or interrupted run. */
    public static final int FAILURE = 1;
    /** A usage or configuration error: bad arguments, a wrong YAML pipeline, an unknown type, a missing path. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
