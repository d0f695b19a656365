package io.oddball.cli;

import io.oddball.runtime.plugin.PluginInfo;
import io.oddball.runtime.plugin.Plugins;
import picocli.CommandLine.Command;

/**
 * {@code oddball plugins}: every detector, scorer, threshold strategy, reader and embedder, with versions and sources.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the detectors, scorers, threshold strategies, data readers and embedders found, with "
                + "versions.")
final class PluginsCommand extends OddballSubcommand {
    @Override
    public Integer call() {
        Plugins plugins = root.oddballWithoutTensorFlow().plugins();
        var out = stdout();
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
