package io.oddball.cli;

import io.oddball.api.error.ConfigException;
import io.oddball.api.error.OddballException;
import io.oddball.api.error.PluginException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one line on standard error and an exit code: usage and configuration errors exit 2, every
 * other failure 1. The stack trace is printed only with {@code -v}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final OddballCommand root;

    ErrorHandler(OddballCommand root) {
        this.root = root;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        var err = cl.getErr();
        if (ex instanceof ConfigException || ex instanceof PluginException) {
            err.println("oddball: " + ex.getMessage());
            trace(ex, cl);
            return ExitCodes.USAGE;
        }
        if (ex instanceof OddballException) {
            err.println("oddball: " + ex.getMessage());
            trace(ex, cl);
            return ExitCodes.FAILURE;
        }
        err.println("oddball: internal error: " + ex);
        if (!root.verbose()) {
            err.println("(run with -v for the stack trace)");
        }
        trace(ex, cl);
        return ExitCodes.FAILURE;
    }

    private void trace(Exception ex, CommandLine cl) {
        if (root.verbose()) {
            ex.printStackTrace(cl.getErr());
        }
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        cl.getErr().println("oddball: " + ex.getMessage());
        cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        return ExitCodes.USAGE;
    }
}
