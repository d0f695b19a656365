package io.oddball.cli;

import io.oddball.runtime.plugin.PluginInfo;
import io.oddball.runtime.plugin.Plugins;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code oddball plugins}: every detector, scorer, threshold strategy, reader and embedder, with versions and sources.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the detectors, scorers, threshold strategies, data readers and embedders found, with "
                + "versions.")
final class PluginsCommand implements Callable<Integer> {
    @ParentCommand
    private OddballCommand root;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Plugins plugins = root.oddballWithoutTensorFlow().plugins();
        var out = spec.commandLine().getOut();
        out.printf("%-10s %-16s %-9s %s%n", "KIND", "NAME", "VERSION", "SOURCE");
        for (PluginInfo p : plugins.all()) {
            out.printf("%-10s %-16s %-9s %s%n", p.kind().label(), p.name(), p.version(), p.source());
        }
        if (!plugins.problems().isEmpty()) {
            out.println();
            out.println("Problems (these plugins were skipped):");
            for (String s : plugins.problems()) {
                out.println("  " + s);
            }
        }
        return ExitCodes.OK;
    }
}
