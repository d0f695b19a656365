package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.DetectorProvider;
import io.oddball.cli.Main;
import io.oddball.runtime.plugin.PluginJars;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JVM's own ends, each turned into one {@code oddball:} line and exit 1, in a child JVM as a user runs it: out of
 * memory, a stack overflow, and a plugin calling {@code System.exit} (which must not end Oddball with its code).
 */
class JvmErrorsTest {
    private static final String SPI = DetectorProvider.class.getName();
    private static Path plugins;
    private static Path train;

    @BeforeAll
    static void buildPlugins() throws IOException {
        plugins = Fixtures.folder("jvm-errors-plugins");
        train = Fixtures.csv("jvm-errors-train.csv", 40, 0, 3);
        PluginJars.build(plugins.resolve("quitter.jar"), Map.of("com.example.q.Quitter", provider("com.example.q",
                "Quitter", "quitter", "System.exit(3); return null;")), Map.of(SPI, "com.example.q.Quitter\n"),
                io.oddball.api.Api.VERSION);
        PluginJars.build(plugins.resolve("deep.jar"), Map.of("com.example.d.Deep", provider("com.example.d", "Deep",
                "deep", "return create(p, c);")), Map.of(SPI, "com.example.d.Deep\n"), io.oddball.api.Api.VERSION);
    }

    private static String provider(String pkg, String cls, String name, String createBody) {
        return """
                package %1$s;
                public final class %2$s implements io.oddball.api.DetectorProvider {
                    public String name() { return "%3$s"; }
                    public String version() { return "1"; }
                    public io.oddball.api.ConfigSchema configSchema() { return io.oddball.api.ConfigSchema.of(); }
                    public io.oddball.api.Detector create(io.oddball.api.Params p, io.oddball.api.DetectorContext c) {
                        %4$s
                    }
                }
                """.formatted(pkg, cls, name, createBody);
    }

    /** Runs the CLI in a child JVM; returns its exit code and its lines starting with {@code oddball:}. */
    private static Result run(String name, Object... args) throws Exception {
        Path log = Fixtures.folder("jvm-errors-log-" + name).resolve("log.txt");
        Process p = Cli.childJvm(log, Main.class.getName(), args).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(name).isTrue();
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return new Result(p.exitValue(), text, text.lines().filter(l -> l.startsWith("oddball: ")).toList());
    }

    private record Result(int code, String text, List<String> lines) {
    }

    @Test
    void aPluginCallingSystemExitEndsOddballWithExitOneNamingTheJar() throws Exception {
        Path yaml = Fixtures.write("jvm-quitter.yaml", "detector: {type: quitter}\ndata: {train: {path: " + train
                + "}}\n");
        Result r = run("quitter", "--plugins", plugins, "fit", yaml, "--out", plugins.resolveSibling("quit-out"));
        assertThat(r.code()).as(r.text()).isEqualTo(1);
        assertThat(r.lines()).as(r.text()).containsExactly("oddball: the plugin quitter.jar called System.exit, "
                + "which would end Oddball with its own code; stopped with exit 1 (a plugin must throw an exception "
                + "instead)");
        assertThat(plugins.resolveSibling("quit-out")).doesNotExist();
    }

    @Test
    void aStackOverflowIsOneLine() throws Exception {
        Path yaml = Fixtures.write("jvm-deep.yaml", "detector: {type: deep}\ndata: {train: {path: " + train + "}}\n");
        Result r = run("deep", "--plugins", plugins, "fit", yaml, "--out", plugins.resolveSibling("deep-out"));
        assertThat(r.code()).as(r.text()).isEqualTo(1);
        assertThat(r.lines()).as(r.text()).singleElement().asString().startsWith("oddball: stack overflow running "
                + "'oddball --plugins " + plugins + " fit " + yaml).endsWith(": an input nested too deeply (or one "
                + "that refers to itself); run with -v for the trace");
        assertThat(r.text()).doesNotContain("\tat ").doesNotContain("Exception in thread");
    }

    @Test
    void runningOutOfMemoryIsOneLineWithTheHeapAndTheHint() throws Exception {
        // a .npy declaring 3 000 000 x 100 float32 (1.2 GB, sparse on disk): more than the child's 1 GiB heap
        Path folder = Fixtures.folder("jvm-errors-oom");
        Path npy = folder.resolve("big.npy");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3000000, 100), }";
        String header = dict + " ".repeat(127 - 10 - dict.length()) + "\n";
        try (RandomAccessFile f = new RandomAccessFile(npy.toFile(), "rw")) {
            f.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
            f.write(header.getBytes(StandardCharsets.ISO_8859_1));
            f.setLength(128 + 3_000_000L * 100 * 4);
        }
        Path yaml = Fixtures.write("jvm-oom.yaml", "detector: {type: knn}\ndata: {train: {path: " + npy + "}}\n");
        Result r = run("oom", "fit", yaml, "--out", folder.resolve("out"));
        assertThat(r.code()).as(r.text()).isEqualTo(1);
        assertThat(r.lines()).as(r.text()).singleElement().asString().startsWith("oddball: out of memory (a Java "
                + "heap of ").contains("running 'oddball fit " + yaml).endsWith("; give Java more with "
                + "ODDBALL_JAVA_OPTS=-Xmx2g, or lower --batch-size or the data's size");
        assertThat(r.text()).doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(folder.resolve("out")).doesNotExist();
    }
}
