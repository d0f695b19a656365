package io.oddball.cli;

import io.oddball.api.error.ConfigException;
import io.oddball.api.error.OddballException;
import io.oddball.api.error.PluginException;
import io.oddball.api.error.DidYouMean;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

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
        cl.getErr().println("oddball: " + message(ex));
        cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        return ExitCodes.USAGE;
    }

    /**
     * picocli's message, except for a misspelt command or option: {@code unknown command 'predcit'; did you mean
     * 'predict'?} (picocli's candidates, kept when a few edits away).
     */
    static String message(ParameterException ex) {
        if (!(ex instanceof UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return ex.getMessage();
        }
        String arg = u.getUnmatched().get(0);
        CommandLine cl = u.getCommandLine();
        boolean option = u.isUnknownOption();
        if (!option && cl.getSubcommands().isEmpty()) {
            return ex.getMessage();
        }
        String word = option && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        String hint = DidYouMean.hint(word, u.getSuggestions());
        return (option ? "unknown option '" : "unknown command '") + word + "'" + hint;
    }
}
