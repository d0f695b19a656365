package io.oddball.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.cli.CliTest.Run;
import io.oddball.runtime.plugin.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The names the CLI offers are found, not listed in its code: the demos are the {@code pipelines/demo-*.yaml} files,
 * the formats the data readers the runtime discovers (plugins included). A new file or plugin shows up in the help,
 * the messages and the completion candidates without a code edit.
 */
class DiscoveredNamesTest {
    /** The checkout (the tests run in the cli module's folder). */
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    /** Help text with line breaks and indentation folded to single spaces. */
    private static String flat(String help) {
        return help.replaceAll("\\s+", " ");
    }

    private static Iterable<String> candidates(CommandLine cl, String command, String option) {
        return cl.getSubcommands().get(command).getCommandSpec().findOption(option).completionCandidates();
    }

    @Test
    void theDemosAreThePipelinesNamedDemoStarFirstTheDefault() {
        assertThat(DemoCommand.demos(HOME)).containsExactly("knn", "ae", "vae");
        assertThat(DemoCommand.demos(HOME.resolve("no-such-folder"))).isEmpty();
    }

    @Test
    void aNewDemoPipelineFileIsADemo() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("oddball"));
        Path pipelines = Files.createDirectories(home.resolve("pipelines"));
        Files.copy(HOME.resolve("pipelines/demo-knn.yaml"), pipelines.resolve("demo-knn.yaml"));
        Files.writeString(pipelines.resolve("demo-zscore.yaml"), "detector: {type: zscore}\n");
        Files.writeString(pipelines.resolve("zscore-full.yaml"), "detector: {type: zscore}\n"); // not a demo
        CliTest.withProperty("oddball.home", home, () -> {
            Run help = CliTest.run("demo", "--help");
            assertThat(help.code()).isZero();
            assertThat(flat(help.out())).contains("--detector=TYPE Detector to demonstrate, one with a pipeline "
                    + "pipelines/demo-<TYPE>.yaml: knn, zscore (default knn).");
            Run typo = CliTest.run("demo", "--detector", "zscor", "--out", tmp.resolve("never").toString());
            assertThat(typo.code()).isEqualTo(2);
            assertThat(typo.err().strip()).isEqualTo("oddball: --detector: expected a detector with a demo pipeline "
                    + "(knn, zscore), found 'zscor'; did you mean 'zscore'? (no " + pipelines.resolve(
                            "demo-zscor.yaml") + ")");
            assertThat(tmp.resolve("never")).doesNotExist();
            assertThat(candidates(Main.commandLine(), "demo", "--detector")).containsExactly("knn", "zscore");
        });
    }

    @Test
    void aReaderPluginIsAFormat() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        PluginJars.build(plugins.resolve("tsv-reader.jar"), Map.of("com.example.tsv.TsvReaderProvider", """
                package com.example.tsv;
                public final class TsvReaderProvider implements io.oddball.api.data.DataReaderProvider {
                    public String name() { return "tsv"; }
                    public String version() { return "1.0.0"; }
                    public java.util.List<String> extensions() { return java.util.List.of(".tsv"); }
                    public io.oddball.api.data.Dataset open(java.nio.file.Path path, io.oddball.api.Params p) {
                        throw new io.oddball.api.error.DataException(path + ": this test reads nothing");
                    }
                }
                """), Map.of("io.oddball.api.data.DataReaderProvider", "com.example.tsv.TsvReaderProvider\n"),
                io.oddball.api.Api.VERSION);
        String builtIn = "--format=FORMAT Data format, one of the readers found (oddball plugins): cifar10, csv, idx, "
                + "images, npy, npz";
        for (String command : new String[] {"predict", "evaluate", "infer-threshold", "report", "perturb", "maps"}) {
            Run plain = CliTest.run(command, "--help");
            assertThat(flat(plain.out())).as(command).contains(builtIn + "; default: from the file name.");
            Run withPlugin = CliTest.run("--plugins", plugins.toString(), command, "--help");
            assertThat(withPlugin.code()).isZero();
            assertThat(flat(withPlugin.out())).as(command).contains(builtIn + ", tsv; default: from the file name.");
        }

        CommandLine cl = Main.commandLine();
        assertThat(candidates(cl, "predict", "--format")).containsExactly("cifar10", "csv", "idx", "images", "npy",
                "npz");
        cl = Main.commandLine();
        cl.parseArgs("predict", "--plugins", plugins.toString(), "--help");
        assertThat(candidates(cl, "predict", "--format")).contains("npy", "tsv");
        // a command tree built without Main (picocli's own factory) still finds the built-in readers
        assertThat(candidates(new CommandLine(new OddballCommand()), "evaluate", "--format")).contains("idx", "csv");
    }
}
