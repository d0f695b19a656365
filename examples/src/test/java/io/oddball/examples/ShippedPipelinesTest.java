package io.oddball.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.DetectorContext;
import io.oddball.api.error.ConfigException;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.pipeline.PipelineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every pipeline in {@code pipelines/} works on a fresh clone: it reads and checks (every data file there, every key
 * known), or the only problems are data files of a full data set that is not downloaded, each naming the
 * pipeline's {@code download} command. None reads outside the clone (no {@code ../shared}).
 */
class ShippedPipelinesTest {
    private static final Path ROOT = Path.of(System.getProperty("oddball.root", "..")).toAbsolutePath().normalize();

    /** Pipelines that must read on a fresh clone: everything they need ships in the repository. */
    private static final Set<String> SELF_CONTAINED = Set.of("demo-knn.yaml", "demo-ae.yaml", "demo-vae.yaml",
            "knn-reference.yaml");

    @TestFactory
    Stream<DynamicTest> everyShippedPipelineReadsOrNamesItsDownload() throws IOException {
        Oddball oddball = Oddball.create(List.of());
        List<Path> pipelines;
        try (Stream<Path> s = Files.list(ROOT.resolve("pipelines"))) {
            pipelines = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(pipelines).hasSizeGreaterThanOrEqualTo(10);
        return pipelines.stream().map(yaml -> DynamicTest.dynamicTest(yaml.getFileName().toString(), () -> {
            String text = Files.readString(yaml);
            assertThat(text).doesNotContain("shared/");
            String name = yaml.getFileName().toString();
            try {
                PipelineSpec spec = oddball.parse(yaml, DetectorContext.simple());
                spec.detector().close();
                if (spec.embed() != null) {
                    spec.embed().close();
                }
            } catch (ConfigException e) {
                assertThat(SELF_CONTAINED).as("%s must read on a fresh clone: %s", name, e.getMessage())
                        .doesNotContain(name);
                assertThat(text).contains("\ndownload: data/download.sh ");
                String command = text.split("\ndownload: ", 2)[1].split("\\s+#|\n", 2)[0].trim();
                for (String problem : e.problems()) {
                    if (problem.contains(" embed.detector: ")) {
                        // the embedding detector is fitted by another pipeline first, as its comment says
                        assertThat(problem).contains("found 'out/cifar10-ae-animals'");
                        assertThat(text).contains("./oddball fit pipelines/cifar10-ae-animals.yaml --out "
                                + "out/cifar10-ae-animals");
                        continue;
                    }
                    assertThat(problem).contains(".path: expected an existing file or folder (looked for "
                            + ROOT.resolve("data/full")).endsWith("(run " + command + " to get it)");
                }
            }
        }));
    }
}
