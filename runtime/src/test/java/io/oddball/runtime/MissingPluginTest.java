package io.oddball.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import io.oddball.api.DetectorContext;
import io.oddball.api.DetectorProvider;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.plugin.Kind;
import io.oddball.runtime.plugin.PluginDiscovery;
import io.oddball.runtime.plugin.Plugins;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java user who depends on {@code oddball-runtime} alone has no detector on the class path: naming one of Oddball's
 * own detector types then says which artifact to add, in a pipeline and when loading a saved detector.
 */
class MissingPluginTest {
    private static final DetectorContext CTX = DetectorContext.simple();

    @TempDir
    static Path tmp;

    /** The runtime as it is with every detector plugin hidden from discovery (scorers, readers etc. stay). */
    private static Oddball withoutDetectors;

    @BeforeAll
    static void setUp() throws IOException {
        ClassLoader host = MissingPluginTest.class.getClassLoader();
        ClassLoader hiding = new ClassLoader(host) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals("META-INF/services/" + DetectorProvider.class.getName())
                        ? Collections.emptyEnumeration() : super.getResources(name);
            }
        };
        Plugins plugins = PluginDiscovery.discover(hiding, List.of());
        assertThat(plugins.names(Kind.DETECTOR)).isEmpty();
        assertThat(plugins.names(Kind.SCORER)).contains("top-percent");
        withoutDetectors = Guice.createInjector(new OddballModule(plugins)).getInstance(Oddball.class);

        StringBuilder csv = new StringBuilder("a,b,c\n");
        Random r = new Random(3);
        for (int i = 0; i < 40; i++) {
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f%n", r.nextGaussian(), r.nextGaussian(),
                    r.nextGaussian()));
        }
        Files.writeString(tmp.resolve("rows.csv"), csv);
    }

    private static Path pipeline(String type) throws IOException {
        Path y = tmp.resolve(type + ".yaml");
        Files.writeString(y, "detector: {type: " + type + "}\ndata:\n  train: {path: rows.csv}\n");
        return y;
    }

    @Test
    void aShippedDetectorTypeInAPipelineNamesItsArtifact() throws IOException {
        Path y = pipeline("ae");
        assertThatThrownBy(() -> withoutDetectors.parse(y, CTX)).isInstanceOf(ConfigException.class)
                .hasMessage(y + ":1 detector.type: expected a known detector type [], found 'ae' (its plugin is not "
                        + "on the class path: add the dependency io.oddball:oddball-detector-ae, or "
                        + "io.oddball:oddball-all)");
    }

    @Test
    void anotherTypeIsReportedAsBefore() throws IOException {
        Path y = pipeline("isolation-forest");
        assertThatThrownBy(() -> withoutDetectors.parse(y, CTX)).isInstanceOf(ConfigException.class)
                .hasMessage(y + ":1 detector.type: expected a known detector type [], found 'isolation-forest'");
    }

    @Test
    void aSavedDetectorOfAShippedTypeNamesItsArtifactWhenLoaded() throws IOException {
        Oddball full = Oddball.create(List.of());
        Path dir = tmp.resolve("saved-knn");
        try (Pipeline p = full.fit(pipeline("knn"), CTX)) {
            full.save(p, dir);
        }
        try (Pipeline p = full.load(dir, CTX)) {
            assertThat(p.detectorName()).isEqualTo("knn");
        }
        assertThatThrownBy(() -> withoutDetectors.load(dir, CTX)).isInstanceOf(ModelFormatException.class)
                .hasMessage(dir.resolve("detector.yaml") + " detector.type: expected a known detector type [], "
                        + "found 'knn' (its plugin is not on the class path: add the dependency "
                        + "io.oddball:oddball-detector-knn, or io.oddball:oddball-all)");
    }
}
