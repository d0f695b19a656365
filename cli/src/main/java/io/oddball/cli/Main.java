package io.oddball.cli;

import io.oddball.runtime.progress.StopSignal;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code oddball} launcher. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        StopSignal.installCtrlC();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command in-process and returns its exit code (0 ok, 1 runtime failure, 2 usage/config error). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The command tree with Oddball's exit codes and one-line error messages. */
    public static CommandLine commandLine() {
        OddballCommand root = new OddballCommand();
        CommandLine cl = new CommandLine(root);
        cl.setExecutionExceptionHandler(new ErrorHandler(root));
        cl.setParameterExceptionHandler(new ErrorHandler(root));
        return cl;
    }
}
