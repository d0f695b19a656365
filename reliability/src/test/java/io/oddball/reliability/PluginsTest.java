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
        PluginJars.build(plugins.resolve("e-api-2.jar"), PluginJars.meanDistanceSources("com.example.n", "newer"),
                Map.of(SPI, "com.example.n.MeanDistanceProvider\n"), "2.0");
    }

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
    }
}
