package io.oddball.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every {@code oddball} sub-command has: the root command, which holds the global options, the runtime and the
 * context detectors run in, and its own command spec, for its output streams and usage errors. Picocli fills both
 * (it reads the annotations of superclasses too).
 */
abstract class OddballSubcommand implements Callable<Integer> {
    @ParentCommand
    OddballCommand root;

    @Spec
    CommandSpec spec;

    /** The command's standard output. */
    PrintWriter stdout() {
        return spec.commandLine().getOut();
    }

    /** The command's standard error. */
    PrintWriter stderr() {
        return spec.commandLine().getErr();
    }
}
