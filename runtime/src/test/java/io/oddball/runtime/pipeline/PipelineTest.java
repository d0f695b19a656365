package io.oddball.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.DetectorContext;
import io.oddball.api.DetectorProvider;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.eval.EvaluationResult;
import io.oddball.runtime.plugin.PluginJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real pipelines end to end: YAML → fit (KNN in TensorFlow) → save → load → score, threshold, evaluate; and the parser
 * checks what the runtime owns without loading a model, the assembler what the plugins find.
 */
class PipelineTest {
    private static final DetectorContext CTX = DetectorContext.simple();

    @TempDir
    static Path tmp;

    private static Oddball oddball;

    @BeforeAll
    static void data() throws IOException {
        oddball = Oddball.create(List.of());
        Random r = new Random(7);
        writeCsv(tmp.resolve("train.csv"), r, 300, 0);
        writeCsv(tmp.resolve("normal.csv"), r, 60, 0);
        writeCsv(tmp.resolve("shifted.csv"), r, 60, 3);
    }

    /** Rows of 5 features: a correlated Gaussian cloud around (shift, ..., shift), ReLU-free, with a header. */
    private static void writeCsv(Path file, Random r, int n, double shift) throws IOException {
        StringBuilder b = new StringBuilder("a,b,c,d,e\n");
        for (int i = 0; i < n; i++) {
            double z = r.nextGaussian();
            for (int j = 0; j < 5; j++) {
                double v = shift + z + 0.5 * r.nextGaussian() + (shift > 0 && j % 2 == 0 ? -2 * shift : 0);
                b.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", v));
            }
            b.append('\n');
        }
        Files.writeString(file, b.toString());
    }

    private static Path yaml(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** A detector ({@code detector}, a YAML flow map) fitted on train.csv and saved to tmp/NAME, from tmp/NAME.yaml. */
    private static Path saved(String name, String detector) throws IOException {
        Path y = yaml(name + ".yaml", "detector: " + detector + "\ndata: {train: {path: train.csv}}\n");
        Path dir = tmp.resolve(name);
        try (Pipeline p = oddball.fit(y, CTX)) {
            oddball.save(p, dir);
        }
        return dir;
    }

    /** A save into {@code dir} that fails while the model is written, as on a full disk. */
    private static void assertFailedSave(Path dir) {
        assertThatThrownBy(() -> DetectorFolder.save(dir, Map.of("format", "x"), true, model -> {
            throw new IllegalStateException("disk full (simulated)");
        })).hasMessageContaining("disk full");
    }

    /** No temporary entry of a save ({@code .NAME...}) is left in tmp. */
    private static void assertNoLeftovers(String prefix) throws IOException {
        try (var files = Files.list(tmp)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith(prefix));
        }
    }

    @Test
    void knnPipelineFitsSavesLoadsAndScoresIdentically() throws IOException {
        Path y = yaml("knn.yaml", """
                detector:
                  type: knn
                  k: 5
                data:
                  train: {path: train.csv}
                threshold: {type: percentile, percent: 90}
                """);
        Path dir = tmp.resolve("saved-knn");
        float[] before;
        double threshold;
        try (Pipeline p = oddball.fit(y, CTX)) {
            assertThat(p.detectorName()).isEqualTo("knn");
            assertThat(p.info().trainInstances()).isEqualTo(300);
            assertThat(p.info().fingerprint()).startsWith("sha256:");
            threshold = p.threshold();
            oddball.save(p, dir);
            before = p.scoreAll(oddball.openData(tmp.resolve("normal.csv"), null, Map.of()), 32, () -> false)
                    .scores();
        }
        assertThat(Files.readString(dir.resolve("detector.yaml"))).contains("format: oddball-detector")
                .contains("formatVersion: 1").contains("type: knn").contains("fingerprint: sha256:");
        try (Pipeline loaded = oddball.load(dir, CTX)) {
            assertThat(loaded.threshold()).isEqualTo(threshold);
            // bit for bit with the same batching; other batch sizes only change the float rounding of the products
            float[] after = loaded.scoreAll(oddball.openData(tmp.resolve("normal.csv"), null, Map.of()), 32,
                    () -> false).scores();
            assertThat(after).containsExactly(before);
            float[] rebatched = loaded.scoreAll(oddball.openData(tmp.resolve("normal.csv"), null, Map.of()), 7,
                    () -> false).scores();
            assertThat(rebatched).containsExactly(before, within(1e-5f));

            // infer-threshold: the 90th percentile of the normal scores, numpy linear interpolation
            Dataset normal = oddball.openData(tmp.resolve("normal.csv"), null, Map.of());
            double t = oddball.inferThreshold(loaded, normal, 90, 16, CTX);
            float[] sorted = after.clone();
            java.util.Arrays.sort(sorted);
            double pos = 0.9 * (sorted.length - 1);
            int lo = (int) Math.floor(pos);
            double expected = sorted[lo] + (pos - lo) * (sorted[lo + 1] - sorted[lo]);
            assertThat(t).isCloseTo(expected, within(1e-6));
            oddball.saveThreshold(loaded, dir);
        }
        try (Pipeline again = oddball.load(dir, CTX)) {
            assertThat(again.threshold()).isNotEqualTo(threshold);
            EvaluationResult r = oddball.evaluate(again,
                    oddball.openData(tmp.resolve("normal.csv"), null, Map.of()),
                    oddball.openData(tmp.resolve("shifted.csv"), null, Map.of()), 64, CTX);
            assertThat(r.metrics().auroc()).isGreaterThan(0.95);
            assertThat(r.inScores()).hasSize(60);
            assertThat(r.oodScores()).hasSize(60);
        }
    }

    @Test
    void aThirdPartyPluginJarRunsFromYaml() throws IOException {
        Path plugins = tmp.resolve("plugin-folder");
        PluginJars.build(plugins.resolve("mean-distance.jar"),
                PluginJars.meanDistanceSources("org.acme.oddball", "mean-distance"),
                Map.of(DetectorProvider.class.getName(), "org.acme.oddball.MeanDistanceProvider\n"), "1.0");
        Oddball withPlugin = Oddball.create(List.of(plugins));
        Path y = yaml("plugin.yaml", """
                detector: {type: mean-distance, power: 2}
                data: {train: {path: train.csv}}
                threshold: {type: percentile, percent: 95}
                evaluate:
                  in: {path: normal.csv}
                  ood: {path: shifted.csv}
                """);
        PipelineSpec spec = withPlugin.parse(y, CTX);
        assertThat(spec.hasEvaluation()).isTrue();
        Path dir = tmp.resolve("saved-plugin");
        try (Pipeline p = withPlugin.fit(spec, CTX)) {
            assertThat(p.detectorVersion()).isEqualTo("1.2.3");
            withPlugin.save(p, dir);
            EvaluationResult r = withPlugin.evaluate(p, spec.evaluateIn(), spec.evaluateOod(), 32, CTX);
            assertThat(r.metrics().auroc()).isGreaterThan(0.9);
        }
        try (Pipeline p = withPlugin.load(dir, CTX)) {
            // the distance of the first normal row to the training mean, computed here independently
            Batch first = withPlugin.openData(tmp.resolve("normal.csv"), null, Map.of("limit", 1)).readAll();
            Batch train = withPlugin.openData(tmp.resolve("train.csv"), null, Map.of()).readAll();
            double d = 0;
            for (int j = 0; j < 5; j++) {
                double mean = 0;
                for (int i = 0; i < train.size(); i++) {
                    mean += train.get(i, j);
                }
                mean /= train.size();
                d += Math.pow(first.get(0, j) - mean, 2);
            }
            assertThat(p.score(first).instanceScores()[0]).isCloseTo((float) Math.sqrt(d), within(1e-4f));
        }
        // without the plugin folder, the saved detector cannot be loaded, and says why
        assertThatThrownBy(() -> oddball.load(dir, CTX)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'mean-distance'").hasMessageContaining("is its plugin installed?");
    }

    @Test
    void aMissingDataFileNamesThePipelinesDownloadCommand() throws IOException {
        Path y = yaml("download.yaml", """
                download: data/download.sh example
                detector: {type: knn}
                data:
                  train: {path: full/train.csv}
                evaluate:
                  in: {path: normal.csv}
                  ood: {path: full/test.csv}
                """);
        assertThatThrownBy(() -> oddball.parse(y, CTX)).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).problems()).asList().containsExactly(
                        y + ":4 data.train.path: expected an existing file or folder (looked for "
                                + tmp.resolve("full/train.csv") + "), found 'full/train.csv' (run data/download.sh "
                                + "example to get it)",
                        y + ":7 evaluate.ood.path: expected an existing file or folder (looked for "
                                + tmp.resolve("full/test.csv") + "), found 'full/test.csv' (run data/download.sh "
                                + "example to get it)");
        Path wrong = yaml("download-list.yaml", """
                download: [data/download.sh]
                detector: {type: knn}
                data:
                  train: {path: train.csv}
                """);
        assertThatThrownBy(() -> oddball.parse(wrong, CTX)).isInstanceOf(ConfigException.class)
                .hasMessage(wrong + ":1 download: expected a string, found a list");
    }

    @Test
    void everyConfigProblemIsReportedAtOnceWithLines() throws IOException {
        Path y = yaml("bad.yaml", """
                detector:
                  type: knnn
                  fit: {epochs: -1}
                data:
                  train: {path: missing.csv}
                scorer: {type: top-percent, outlierPerc: 150}
                threshold: {type: percentile, percent: 95, colour: red}
                """);
        assertThatThrownBy(() -> oddball.parse(y, CTX)).isInstanceOf(ConfigException.class).satisfies(e -> {
            List<String> problems = ((ConfigException) e).problems();
            String f = y.toString();
            assertThat(problems).anySatisfy(s -> assertThat(s).startsWith(f + ":2 detector.type: expected a known "
                    + "detector type [").contains("knn").endsWith("found 'knnn'; did you mean 'knn'?"));
            assertThat(problems).contains(f + ":3 detector.fit.epochs: expected an integer >= 0, found -1");
            assertThat(problems).anySatisfy(s -> assertThat(s).startsWith(f + ":5 data.train.path: expected an "
                    + "existing file or folder (looked for ").endsWith("found 'missing.csv'"));
            assertThat(problems).anySatisfy(s -> assertThat(s).startsWith(f + ":6 scorer.outlierPerc"));
            assertThat(problems).contains(f + ":7 threshold.colour: unknown key");
        });
    }

    @Test
    void wrongShapesAndNonFiniteValuesAreDataErrors() throws IOException {
        Path y = yaml("shape.yaml", "detector: {type: knn}\ndata: {train: {path: train.csv}}\n");
        try (Pipeline p = oddball.fit(y, CTX)) {
            assertThatThrownBy(() -> p.score(Batch.of(new float[6], io.oddball.api.data.Shape.of(2, 3))))
                    .isInstanceOf(DataException.class)
                    .hasMessage("input: expected 5 values per instance (the detector's input), found 3 values per "
                            + "instance");
            float[] v = new float[10];
            v[7] = Float.NaN;
            assertThatThrownBy(() -> p.score(Batch.of(v, io.oddball.api.data.Shape.of(2, 5))))
                    .isInstanceOf(DataException.class).hasMessageContaining("instance 1")
                    .hasMessageContaining("expected a finite number, found NaN");
        }
    }

    @Test
    void aFailedSaveLeavesThePreviousDetectorIntact() throws IOException {
        Path dir = saved("keep", "{type: knn}");
        String before = Files.readString(dir.resolve("detector.yaml"));
        assertFailedSave(dir);
        assertThat(Files.readString(dir.resolve("detector.yaml"))).isEqualTo(before);
        assertNoLeftovers(".keep.tmp");
        try (Pipeline p = oddball.load(dir, CTX)) {
            assertThat(p.detectorName()).isEqualTo("knn");
        }
    }

    @Test
    void aSaveReplacesOnlyASavedDetectorAndOnlyWhenAsked() throws IOException {
        Path y = yaml("replace.yaml", "detector: {type: knn, k: 5}\ndata: {train: {path: train.csv}}\n");
        Path y3 = yaml("replace-3.yaml", "detector: {type: knn, k: 3}\ndata: {train: {path: train.csv}}\n");
        Path dir = tmp.resolve("replace");
        Files.createDirectories(dir);
        try (Pipeline p = oddball.fit(y, CTX); Pipeline p3 = oddball.fit(y3, CTX)) {
            oddball.save(p, dir); // an empty folder holds nothing to lose
            String first = Files.readString(dir.resolve("detector.yaml"));
            assertThatThrownBy(() -> oddball.save(p3, dir)).isInstanceOf(ConfigException.class)
                    .hasMessage(dir + ": exists; pass --overwrite to replace the detector in it");
            assertThat(Files.readString(dir.resolve("detector.yaml"))).isEqualTo(first);

            oddball.save(p3, dir, true);
            assertThat(Files.readString(dir.resolve("detector.yaml"))).contains("k: 3");
            assertNoLeftovers(".replace");

            // a file of the user's beside the detector: only Oddball's own entries are replaced, the file stays
            Files.writeString(dir.resolve("README"), "mine");
            assertFailedSave(dir);
            assertThat(Files.readString(dir.resolve("detector.yaml"))).contains("k: 3");
            oddball.save(p, dir, true);
            assertThat(dir.resolve("README")).hasContent("mine");
            assertThat(Files.readString(dir.resolve("detector.yaml"))).contains("k: 5");
            try (var files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("README",
                        "detector.yaml", "model");
            }
            assertNoLeftovers(".replace");
            try (Pipeline loaded = oddball.load(dir, CTX)) {
                assertThat(loaded.detectorName()).isEqualTo("knn");
            }
            Files.delete(dir.resolve("README"));

            Files.writeString(dir.resolve("detector.yaml"), "name: someone else's\n");
            assertThatThrownBy(() -> oddball.save(p, dir, true)).isInstanceOf(ConfigException.class)
                    .hasMessage(dir + ": expected an empty folder or a saved Oddball detector, found detector.yaml "
                            + "(not of format oddball-detector); choose another folder (nothing was changed)");
            assertThat(dir.resolve("detector.yaml")).hasContent("name: someone else's\n");
        }
    }

    @Test
    void aDetectorFromANewerFormatIsRefused() throws IOException {
        Path dir = saved("newer", "{type: knn}");
        Path d = dir.resolve("detector.yaml");
        Files.writeString(d, Files.readString(d).replace("formatVersion: 1", "formatVersion: 7"));
        assertThatThrownBy(() -> oddball.load(dir, CTX)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("formatVersion: expected at most 2, found 7")
                .hasMessageContaining("newer Oddball");
    }

    @Test
    void aSavedDetectorsHyperParametersAreReadAsItsYamlWasEveryBadOrUnknownKeyNamed() throws IOException {
        Path dir = saved("hp", "{type: knn, k: 3}");
        Path d = dir.resolve("detector.yaml");
        String text = Files.readString(d);
        assertThat(text).contains("  k: 3\n");
        Files.writeString(d, text.replace("  k: 3\n", "  k: -3\n  kk: 4\n"));
        // the provider refuses the bad value before reading any file; the runtime names the unknown key
        assertThatThrownBy(() -> oddball.load(dir, CTX)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(dir.resolve("model").toString()).hasMessageContaining("hyperParameters")
                .hasMessageContaining("k: expected an integer >= 1, found -3");
        Files.writeString(d, text.replace("  k: 3\n", "  k: 3\n  kk: 4\n"));
        assertThatThrownBy(() -> oddball.load(dir, CTX)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(d.toString()).hasMessageContaining("hyperParameters.kk");
        Files.writeString(d, text);
        try (Pipeline p = oddball.load(dir, CTX)) {
            assertThat(p.detector().hyperParameters()).containsEntry("k", 3);
        }
    }

    @Test
    void scoresAndLabelsAreGatheredInOrderPastTheFirstCapacity() {
        Pipeline.ScoresBuffer labelled = new Pipeline.ScoresBuffer(true);
        Pipeline.ScoresBuffer unlabelled = new Pipeline.ScoresBuffer(false);
        float[] expected = new float[2500];
        int[] labels = new int[2500];
        for (int from = 0; from < 2500; from += 700) { // batches of 700 and a last one of 400: three growths
            int n = Math.min(700, 2500 - from);
            float[] s = new float[n];
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = (from + i) * 0.5f;
                l[i] = (from + i) % 3 == 0 ? 1 : 0;
                expected[from + i] = s[i];
                labels[from + i] = l[i];
            }
            labelled.add(s, Batch.wrap(new float[n], io.oddball.api.data.Shape.of(n, 1), l));
            unlabelled.add(s, Batch.wrap(new float[n], io.oddball.api.data.Shape.of(n, 1), null));
        }
        assertThat(labelled.toScores().scores()).containsExactly(expected);
        assertThat(labelled.toScores().labels()).containsExactly(labels);
        assertThat(unlabelled.toScores().scores()).containsExactly(expected);
        assertThat(unlabelled.toScores().labels()).isNull();
        assertThat(new Pipeline.ScoresBuffer(true).toScores().scores()).isEmpty();
    }

    @Test
    void aHandEditedShapeIsRefused() throws IOException {
        Path dir = saved("edited", "{type: knn}");
        Path d = dir.resolve("detector.yaml");
        String text = Files.readString(d);
        Files.writeString(d, text.replaceFirst("inputShape:\\n- 5", "inputShape:\n- 6"));
        assertThat(Files.readString(d)).isNotEqualTo(text);
        assertThatThrownBy(() -> oddball.load(dir, CTX)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("inputShape");
    }

    @Test
    void modelsNamedByThePipelineAreLoadedByTheAssemblerNotTheParser() throws IOException {
        // a SavedModel that TensorFlow cannot load, and a folder that is no saved detector: only loading tells
        Path model = Files.createDirectories(tmp.resolve("not-a-model"));
        Files.writeString(model.resolve("saved_model.pb"), "not a protocol buffer");
        Files.createDirectories(tmp.resolve("not-a-detector"));
        Path ae = yaml("saved-model-ae.yaml", """
                detector:
                  type: ae
                  architecture: saved-model
                  model: {path: %s}
                data:
                  train: {path: train.csv}
                """.formatted(model));
        Path embed = yaml("embed.yaml", """
                detector: {type: knn}
                data:
                  train: {path: train.csv}
                embed: {detector: not-a-detector}
                """);

        PipelineDefinition aeDefinition = oddball.parser().parse(ae);
        assertThat(aeDefinition.problems()).isEmpty();
        assertThat(aeDefinition.provider().name()).isEqualTo("ae");
        PipelineDefinition embedDefinition = oddball.parser().parse(embed);
        assertThat(embedDefinition.problems()).isEmpty();
        assertThat(embedDefinition.embed().detectorDir()).isEqualTo(tmp.resolve("not-a-detector"));

        assertThatThrownBy(() -> oddball.parse(ae, CTX)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(ae + ":4 detector.model.path: expected a loadable SavedModel (");
        assertThatThrownBy(() -> oddball.parse(embed, CTX)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(embed + ":4 embed.detector: expected a saved detector that loads (")
                .hasMessageContaining("found 'not-a-detector'");
    }

    @Test
    void theParserReportsWhatTheRuntimeOwnsAndTheAssemblerAddsTheDetectorsOwnProblems() throws IOException {
        Path y = yaml("bad.yaml", """
                detector:
                  type: knn
                  kk: 3
                  fit: {epochs: -1}
                data:
                  train: {path: missing.csv}
                threshold: {type: percentile, percent: 95, colour: red}
                """);
        String f = y.toString();
        PipelineDefinition d = oddball.parser().parse(y);
        assertThat(d.problems()).hasSize(3).contains(f + ":4 detector.fit.epochs: expected an integer >= 0, found -1",
                f + ":7 threshold.colour: unknown key");
        assertThatThrownBy(d::check).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).problems()).isEqualTo(d.problems());

        assertThatThrownBy(() -> oddball.parse(y, CTX)).isInstanceOf(ConfigException.class).satisfies(e -> {
            List<String> problems = ((ConfigException) e).problems();
            assertThat(problems).containsAll(d.problems())
                    .contains(f + ":3 detector.kk: unknown key; did you mean 'k'?").hasSize(4);
        });
    }
}
