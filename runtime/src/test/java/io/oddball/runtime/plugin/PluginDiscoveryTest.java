package io.oddball.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.DetectorProvider;
import io.oddball.api.error.PluginException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDiscoveryTest {
    private static final String SPI = DetectorProvider.class.getName();

    @TempDir
    Path tmp;

    @Test
    void classPathProvidersAreFound() {
        Plugins p = PluginDiscovery.discover(getClass().getClassLoader(), List.of());
        assertThat(p.names(Kind.DETECTOR)).contains("knn");
        assertThat(p.names(Kind.SCORER)).contains("top-percent", "mean", "max", "sum");
        assertThat(p.names(Kind.THRESHOLD)).contains("fixed", "percentile", "contamination", "target-fpr", "best-f1");
        assertThat(p.names(Kind.READER)).contains("idx", "cifar10", "npy", "csv", "images");
        assertThat(p.problems()).isEmpty();
    }

    @Test
    void aClassPathJarBuiltForAnotherApiMajorIsSkippedLikeAPluginFoldersJar() throws Exception {
        // the parent pom writes Oddball-Api-Version into every jar, ours included; the runtime checks it wherever a
        // provider comes from
        Path old = PluginJars.build(tmp.resolve("old.jar"), PluginJars.meanDistanceSources("com.example.old", "old"),
                Map.of(SPI, "com.example.old.MeanDistanceProvider\n"), "9.0");
        Path current = PluginJars.build(tmp.resolve("current.jar"), PluginJars.meanDistanceSources("com.example.cur",
                "current"), Map.of(SPI, "com.example.cur.MeanDistanceProvider\n"), io.oddball.api.Api.VERSION);
        try (java.net.URLClassLoader host = new java.net.URLClassLoader(new java.net.URL[] {old.toUri().toURL(),
                current.toUri().toURL()}, getClass().getClassLoader())) {
            Plugins p = PluginDiscovery.discover(host, List.of());
            assertThat(p.names(Kind.DETECTOR)).contains("current", "knn").doesNotContain("old");
            assertThat(p.problems()).containsExactly("class path (" + old.toUri().getPath() + "): built against"
                    + " Oddball api 9.0, expected api 1.x (this runtime has api " + io.oddball.api.Api.VERSION
                    + "); skipped");
        }
    }

    @Test
    void aPluginJarClaimingABuiltInNameIsSkippedAndTheBuiltInStays() throws Exception {
        Path dir = tmp.resolve("plugins");
        Path jar = PluginJars.build(dir.resolve("my-knn.jar"), PluginJars.meanDistanceSources("com.example.k", "knn"),
                Map.of(SPI, "com.example.k.MeanDistanceProvider\n"), io.oddball.api.Api.VERSION);
        Plugins p = PluginDiscovery.discover(getClass().getClassLoader(), List.of(dir));
        assertThat(p.lookup(Kind.DETECTOR, "knn")).isInstanceOf(Lookup.Found.class);
        DetectorProvider knn = p.get(Kind.DETECTOR, "knn", DetectorProvider.class);
        assertThat(knn.getClass().getName()).isEqualTo("io.oddball.detector.knn.KnnDetectorProvider");
        assertThat(p.problems()).singleElement().asString()
                .startsWith(jar + ": detector 'knn' is already provided by class path (")
                .endsWith(", which stays; skipped (give the plugin's detector another name to use both)");
    }

    @Test
    void aPluginJarIsLoadedInItsOwnClassLoader() throws Exception {
        Path dir = tmp.resolve("plugins");
        PluginJars.build(dir.resolve("mean.jar"), PluginJars.meanDistanceSources("com.example.mean", "mean-distance"),
                Map.of(SPI, "com.example.mean.MeanDistanceProvider\n"), "1.0");
        Plugins p = PluginDiscovery.discover(getClass().getClassLoader(), List.of(dir));
        assertThat(p.problems()).isEmpty();
        DetectorProvider provider = p.get(Kind.DETECTOR, "mean-distance", DetectorProvider.class);
        assertThat(provider.version()).isEqualTo("1.2.3");
        assertThat(provider.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
        // the SPI type is the host's, so the provider is usable as one
        assertThat(provider).isInstanceOf(DetectorProvider.class);
        // and the plugin does not see the host's runtime classes
        ClassLoader cl = provider.getClass().getClassLoader();
        assertThatThrownBy(() -> cl.loadClass("io.oddball.runtime.Oddball")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> cl.loadClass("com.google.inject.Guice")).isInstanceOf(ClassNotFoundException.class);
        assertThat(cl.loadClass("io.oddball.api.Detector")).isSameAs(io.oddball.api.Detector.class);
        // the TensorFlow toolkit is shared as well: one TensorFlow, one op library, the host's TfOptions
        assertThat(cl.loadClass("io.oddball.tf.TfOptions")).isSameAs(io.oddball.tf.TfOptions.class);
        assertThat(cl.loadClass("org.tensorflow.Graph")).isSameAs(org.tensorflow.Graph.class);
        // built-in providers are not found twice through the plugin loader
        assertThat(p.all()).filteredOn(i -> i.name().equals("knn")).hasSize(1);
    }

    @Test
    void aBrokenJarIsReportedAndSkippedWhileOthersWork() throws Exception {
        Path dir = tmp.resolve("plugins");
        PluginJars.build(dir.resolve("a-good.jar"), PluginJars.meanDistanceSources("com.example.good", "good"),
                Map.of(SPI, "com.example.good.MeanDistanceProvider\n"), null);
        String throwing = PluginJars.stubProviderSource("com.example.bad", "Throwing", "bad",
                "public Throwing() { throw new IllegalStateException(\"cannot start: licence file missing\"); }");
        Map<String, String> sources = Map.of("com.example.bad.Throwing", throwing);
        PluginJars.build(dir.resolve("b-throws.jar"), sources, Map.of(SPI, "com.example.bad.Throwing\n"), null);
        PluginJars.build(dir.resolve("c-missing-class.jar"), PluginJars.meanDistanceSources("com.example.m", "m"),
                Map.of(SPI, "com.example.m.DoesNotExist\n"), null);
        PluginJars.build(dir.resolve("d-newer-api.jar"), PluginJars.meanDistanceSources("com.example.n", "newer"),
                Map.of(SPI, "com.example.n.MeanDistanceProvider\n"), "2.0");
        java.nio.file.Files.writeString(dir.resolve("e-not-a-jar.jar"), "this is not a zip file");

        Plugins p = PluginDiscovery.discover(getClass().getClassLoader(), List.of(dir));

        assertThat(p.names(Kind.DETECTOR)).contains("good", "knn").doesNotContain("bad", "m", "newer");
        assertThat(p.problems()).hasSize(4);
        assertThat(p.problems()).anySatisfy(s -> assertThat(s).contains("b-throws.jar")
                .contains("cannot start: licence file missing"));
        assertThat(p.problems()).anySatisfy(s -> assertThat(s).contains("c-missing-class.jar")
                .contains("com.example.m.DoesNotExist"));
        assertThat(p.problems()).anySatisfy(s -> assertThat(s).contains("d-newer-api.jar")
                .contains("built against Oddball api 2.0, expected api 1.x"));
        assertThat(p.problems()).anySatisfy(s -> assertThat(s).contains("e-not-a-jar.jar")
                .contains("expected a readable jar"));
    }

    @Test
    void twoProvidersOfOneNameAreAClashNamingBothJars() throws Exception {
        Path dir = tmp.resolve("plugins");
        Plugins p = twins(dir);
        assertThat(p.has(Kind.DETECTOR, "twin")).isFalse();
        assertThat(p.has(Kind.DETECTOR, "knn")).isTrue();
        assertThat(p.problems()).singleElement().satisfies(s -> assertThat(s).contains("one.jar").contains("two.jar"));
        assertThatThrownBy(() -> p.get(Kind.DETECTOR, "twin", DetectorProvider.class))
                .isInstanceOf(PluginException.class).hasMessageContaining("one.jar").hasMessageContaining("two.jar");
    }

    @Test
    void aLookupSaysWhetherANameIsFoundUnknownOrClaimedTwice() throws Exception {
        Path dir = tmp.resolve("plugins");
        Plugins p = twins(dir);

        assertThat(p.lookup(Kind.DETECTOR, "knn")).isInstanceOfSatisfying(Lookup.Found.class,
                f -> assertThat(f.provider(DetectorProvider.class).name()).isEqualTo("knn"));
        assertThat(p.lookup(Kind.DETECTOR, "twin")).isInstanceOfSatisfying(Lookup.Clash.class, c -> {
            assertThat(c.sources()).containsExactly(dir.resolve("one.jar").toString(),
                    dir.resolve("two.jar").toString());
            assertThat(c.message()).isEqualTo("detector type 'twin': expected one provider, found 2: "
                    + dir.resolve("one.jar") + ", " + dir.resolve("two.jar"));
        });
        assertThat(p.lookup(Kind.SCORER, "twin")).isInstanceOfSatisfying(Lookup.Unknown.class, u -> {
            assertThat(u.known()).isEqualTo(p.names(Kind.SCORER));
            assertThat(u.message()).isEqualTo("scorer type: expected one of " + p.names(Kind.SCORER)
                    + ", found 'twin'");
        });
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        Plugins p = PluginDiscovery.discover(getClass().getClassLoader(), List.of());
        assertThatThrownBy(() -> p.get(Kind.DETECTOR, "nope", DetectorProvider.class))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("expected one of [")
                .hasMessageContaining("knn")
                .hasMessageContaining("found 'nope'");
    }

    @Test
    void aMissingPluginFolderIsReported() {
        Plugins p = PluginDiscovery.discover(getClass().getClassLoader(), List.of(tmp.resolve("nothing-here")));
        assertThat(p.problems()).singleElement().satisfies(s -> assertThat(s).contains("nothing-here")
                .contains("expected a directory of plugin jars, found nothing"));
    }

    /** Discovery over {@code dir} holding one.jar and two.jar, each with a detector named {@code twin}. */
    private Plugins twins(Path dir) throws Exception {
        PluginJars.build(dir.resolve("one.jar"), PluginJars.meanDistanceSources("com.example.one", "twin"),
                Map.of(SPI, "com.example.one.MeanDistanceProvider\n"), null);
        PluginJars.build(dir.resolve("two.jar"), PluginJars.meanDistanceSources("com.example.two", "twin"),
                Map.of(SPI, "com.example.two.MeanDistanceProvider\n"), null);
        return PluginDiscovery.discover(getClass().getClassLoader(), List.of(dir));
    }
}
