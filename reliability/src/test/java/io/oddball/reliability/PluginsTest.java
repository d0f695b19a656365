package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.DetectorProvider;
import io.oddball.runtime.plugin.PluginJars;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plugin folder with one good plugin and every kind of bad one (a provider that throws, a missing dependency, two
 * plugins claiming one name, a jar built for api 2.0): {@code oddball plugins} reports each, naming the jar, and the
 * good plugin still runs from YAML in the same folder.
 */
class PluginsTest {
    private static final String SPI = DetectorProvider.class.getName();

    static Path plugins;

    @BeforeAll
    static void buildJars() throws IOException {
        plugins = Fixtures.folder("plugin-folder");
        PluginJars.build(plugins.resolve("a-good.jar"), PluginJars.meanDistanceSources("com.example.good", "good"),
                Map.of(SPI, "com.example.good.MeanDistanceProvider\n"), "1.0");
        PluginJars.build(plugins.resolve("b-throws.jar"), Map.of("com.example.bad.Throwing", PluginJars.stubProviderSource(
                "com.example.bad", "Throwing", "bad",
                "public Throwing() { throw new IllegalStateException(\"licence file missing\"); }")),
                Map.of(SPI, "com.example.bad.Throwing\n"), "1.0");
        Map<String, String> dep = new HashMap<>();
        dep.put("com.example.dep.Helper", "package com.example.dep; public final class Helper { }");
        dep.put("com.example.dep.NeedsHelper", PluginJars.stubProviderSource("com.example.dep", "NeedsHelper",
                "needs-helper", "static final Helper HELPER = new Helper();"));
        Path withHelper = PluginJars.build(Fixtures.ROOT.resolve("with-helper.jar"), dep,
                Map.of(SPI, "com.example.dep.NeedsHelper\n"), "1.0");
        withoutEntry(withHelper, "com/example/dep/Helper.class", plugins.resolve("c-missing-dependency.jar"));
        PluginJars.build(plugins.resolve("d-twin-one.jar"), PluginJars.meanDistanceSources("com.example.one", "twin"),
                Map.of(SPI, "com.example.one.MeanDistanceProvider\n"), "1.0");
        PluginJars.build(plugins.resolve("d-twin-two.jar"), PluginJars.meanDistanceSources("com.example.two", "twin"),
                Map.of(SPI, "com.example.two.MeanDistanceProvider\n"), "1.0");
        Map<String, String> lazy = new HashMap<>();
        lazy.put("com.example.lazy.Helper", "package com.example.lazy; final class Helper {"
                + " static io.oddball.api.Detector detector() { return null; } }");
        lazy.put("com.example.lazy.LazyProvider", """
                package com.example.lazy;
                public final class LazyProvider implements io.oddball.api.DetectorProvider {
                    public String name() { return "lazy"; }
                    public String version() { return "1"; }
                    public io.oddball.api.ConfigSchema configSchema() { return io.oddball.api.ConfigSchema.of(); }
                    public io.oddball.api.Detector create(io.oddball.api.Params p, io.oddball.api.DetectorContext c) {
                        return Helper.detector();
                    }
                }
                """);
        Path withLazy = PluginJars.build(Fixtures.ROOT.resolve("with-lazy-helper.jar"), lazy,
                Map.of(SPI, "com.example.lazy.LazyProvider\n"), "1.0");
        withoutEntry(withLazy, "com/example/lazy/Helper.class", plugins.resolve("f-lazy-missing.jar"));
        PluginJars.build(plugins.resolve("e-api-2.jar"), PluginJars.meanDistanceSources("com.example.n", "newer"),
                Map.of(SPI, "com.example.n.MeanDistanceProvider\n"), "2.0");
        // a FIFO named like a jar: opening it would block every command until something writes to it
        try {
            fifo = new ProcessBuilder("mkfifo", plugins.resolve("g-pipe.jar").toString()).inheritIO().start()
                    .waitFor() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean fifo;

    /** A copy of {@code jar} without {@code entry}: a plugin whose dependency was not bundled. */
    static void withoutEntry(Path jar, String entry, Path to) throws IOException {
        try (JarFile in = new JarFile(jar.toFile()); OutputStream os = Files.newOutputStream(to);
                JarOutputStream out = new JarOutputStream(os, in.getManifest())) {
            for (JarEntry e : Collections.list(in.entries())) {
                if (e.getName().equals(entry) || e.getName().equals(JarFile.MANIFEST_NAME)) {
                    continue;
                }
                out.putNextEntry(new JarEntry(e.getName()));
                try (InputStream is = in.getInputStream(e)) {
                    is.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }

    @Test
    void everyBrokenPluginIsReportedNamingItsJar() {
        Cli.Run r = Cli.run("--plugins", plugins, "plugins").ok();
        assertThat(r.out()).contains("detector   good             1.2.3     " + plugins.resolve("a-good.jar"))
                .contains("detector   knn");
        assertThat(r.out()).doesNotContain("detector   bad ").doesNotContain("detector   twin")
                .doesNotContain("needs-helper").doesNotContain("detector   newer");
        String problems = r.out().substring(r.out().indexOf("Problems (these plugins were skipped):"));
        assertThat(problems).contains(plugins.resolve("b-throws.jar") + ": detector provider failed to load: ")
                .contains("licence file missing");
        assertThat(problems).contains(plugins.resolve("c-missing-dependency.jar") + ": detector provider failed to "
                + "load: ").contains("com/example/dep/Helper");
        assertThat(problems).contains("detector 'twin' is provided twice: by " + plugins.resolve("d-twin-one.jar")
                + " and by " + plugins.resolve("d-twin-two.jar") + "; remove one of them");
        assertThat(problems).contains(plugins.resolve("e-api-2.jar") + ": built against Oddball api 2.0, expected "
                + "api 1.x (this runtime has api " + io.oddball.api.Api.VERSION + "); skipped");
        if (fifo) {
            assertThat(problems).contains(plugins.resolve("g-pipe.jar") + ": expected a plugin jar (a regular file), "
                    + "found a FIFO, socket or device; skipped");
        }
    }

    @Test
    void theGoodPluginRunsFromYamlBesideTheBrokenOnes() {
        Path train = Fixtures.csv("plugin-train.csv", 50, 0, 9);
        Path yaml = Fixtures.write("good.yaml", "detector: {type: good}\ndata: {train: {path: " + train + "}}\n");
        Path dir = Fixtures.folder("plugin-out").resolve("good");
        Cli.run("--plugins", plugins, "fit", yaml, "--out", dir).ok();
        Path csv = dir.resolveSibling("good.csv");
        Cli.run("--plugins", plugins, "predict", dir, "--data", train, "--out", csv).ok();
        assertThat(csv).exists();

        Path twin = Fixtures.write("twin.yaml", "detector: {type: twin}\ndata: {train: {path: " + train + "}}\n");
        Cli.Run r = Cli.run("--plugins", plugins, "fit", twin, "--out", dir.resolveSibling("twin")).usageError();
        assertThat(r.err()).contains(twin + ":1 detector.type: expected a known detector type [")
                .contains("(detector type 'twin': expected one provider, found 2: " + plugins.resolve("d-twin-one.jar")
                        + ", " + plugins.resolve("d-twin-two.jar") + ")");
        assertThat(dir.resolveSibling("twin")).doesNotExist();

        // a class the plugin needs only when used, left out of its jar: one line naming the jar, no stack trace
        Path lazy = Fixtures.write("lazy.yaml", "detector: {type: lazy}\ndata: {train: {path: " + train + "}}\n");
        Cli.Run l = Cli.run("--plugins", plugins, "fit", lazy, "--out", dir.resolveSibling("lazy")).usageError();
        assertThat(l.err().strip()).startsWith("oddball: " + plugins.resolve("f-lazy-missing.jar") + ": the plugin "
                + "failed: java.lang.NoClassDefFoundError: com/example/lazy/Helper").doesNotContain("\n");
        assertThat(dir.resolveSibling("lazy")).doesNotExist();
    }
    /**
     * A plugin jar claiming the built-in name {@code knn}: every command (not only {@code oddball plugins}) warns,
     * naming the jar and the class path jar that stays, and {@code knn} fits with the built-in. The warning goes to
     * the log, so the CLI runs in a child JVM.
     */
    @Test
    void aPluginClaimingABuiltInNameIsWarnedAboutInEveryCommandAndTheBuiltInFits() throws Exception {
        Path folder = Fixtures.folder("plugin-clash");
        Path jar = PluginJars.build(folder.resolve("my-knn.jar"), Map.of("com.example.k.MyKnn",
                PluginJars.stubProviderSource("com.example.k", "MyKnn", "knn", "")),
                Map.of(SPI, "com.example.k.MyKnn\n"), "1.0");
        Path train = Fixtures.csv("plugin-clash-train.csv", 40, 0, 4);
        Path yaml = Fixtures.write("plugin-clash.yaml", "detector: {type: knn, k: 3}\ndata: {train: {path: " + train
                + "}}\n");
        Path out = folder.resolveSibling("plugin-clash-out");
        Fixtures.folder("plugin-clash-out");
        java.nio.file.Files.delete(out);
        Path log = folder.resolveSibling("plugin-clash.log");
        Process p = Cli.childJvm(log, io.oddball.cli.Main.class.getName(), "--plugins", folder, "fit", yaml, "--out",
                out).start();
        assertThat(p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String text = java.nio.file.Files.readString(log);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("[WARN] plugin problem: " + jar + ": detector 'knn' is already provided by class "
                + "path (").contains("oddball-detector-knn").contains("which stays; skipped (give the plugin's "
                + "detector another name to use both)");
        assertThat(out.resolve("detector.yaml")).content().contains("type: knn");
    }
}
