package io.oddball.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.api.result.OutlierType;
import io.oddball.api.result.Prediction;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.eval.EvaluationResult;
import io.oddball.runtime.plugin.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code embed} stage through YAML: a small conv autoencoder fitted on CIFAR-10 animals, its encoder feeding KNN
 * ({@code embed: {detector: DIR}}), and its SavedModel's {@code embedding} output ({@code type: saved-model}).
 */
class EmbedPipelineTest {
    private static final DetectorContext CTX = DetectorContext.simple();
    private static final Path CIFAR = Path.of("../data/cifar10/cifar10-data-batch-1-first1000.bin.gz")
            .toAbsolutePath().normalize();
    private static final Path MNIST = Path.of("../data/mnist/mnist-test-2000-images-idx3-ubyte.gz").toAbsolutePath()
            .normalize();

    @TempDir
    static Path tmp;

    private static Oddball oddball;
    private static Path ae;
    private static Batch probe;

    @BeforeAll
    static void fitAutoencoder() throws IOException {
        oddball = Oddball.create(List.of());
        Path yaml = write("ae.yaml", """
                detector:
                  type: ae
                  architecture: conv
                  filters: [8, 16]
                  latentDim: 16
                  fit: {epochs: 2, batchSize: 32, learningRate: 2.0e-3, seed: 1}
                data:
                  train: {format: cifar10, path: %s, limit: 400, classes: [2, 3, 4, 5, 6, 7]}
                preprocess: [{scale: 255}]
                """.formatted(CIFAR));
        ae = tmp.resolve("ae");
        try (Pipeline p = oddball.fit(yaml, CTX)) {
            oddball.save(p, ae);
        }
        try (BatchIterator it = oddball.openData(CIFAR, "cifar10", Map.of("offset", 900, "limit", 40)).batches(40)) {
            probe = it.next();
        }
    }

    private static Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String knnYaml(String embed, String preprocess) {
        return """
                detector: {type: knn, k: 5}
                data:
                  train: {format: cifar10, path: %s, limit: 400, classes: [2, 3, 4, 5, 6, 7]}
                preprocess: %s
                embed: %s
                threshold: {type: percentile, percent: 95}
                evaluate:
                  in: {format: cifar10, path: %s, offset: 400, classes: [2, 3, 4, 5, 6, 7]}
                  ood: {format: cifar10, path: %s, limit: 200, classes: [0, 1, 8, 9]}
                """.formatted(CIFAR, preprocess, embed, CIFAR, CIFAR);
    }

    @Test
    void aeEncoderFeedsKnnAndTheSavedDetectorIsSelfContained() throws IOException {
        Path yaml = write("knn-embed.yaml", knnYaml("{detector: ae}", "[]"));
        PipelineSpec spec = oddball.parse(yaml, CTX);
        Path saved = tmp.resolve("knn-embed");
        Prediction before;
        Path aeCopy = tmp.resolve("ae-copy");
        EncoderEmbedder.copyTree(ae, aeCopy);
        try (Pipeline p = oddball.fit(spec, CTX)) {
            assertThat(p.detector().inputShape()).isEqualTo(Shape.of(16));
            assertThat(p.inputShape()).isEqualTo(Shape.of(32, 32, 3));
            before = p.predict(probe, OutlierType.INSTANCE, null, false, true);
            EvaluationResult ev = oddball.evaluate(p, spec.evaluateIn(), spec.evaluateOod(), 128, CTX);
            assertThat(ev.inScores()).hasSize(184);
            assertThat(ev.oodScores()).hasSize(200);
            oddball.save(p, saved);
        }
        String descriptor = Files.readString(saved.resolve("detector.yaml"));
        assertThat(descriptor).contains("formatVersion: 2").contains("embed:\n  detector: embed\n")
                .contains("inputShape:\n- 16\n");
        assertThat(saved.resolve("embed/detector.yaml")).isRegularFile();
        assertThat(saved.resolve("embed/model/savedmodel/saved_model.pb")).isRegularFile();

        // The copy is what loading uses: the original autoencoder can go.
        delete(ae);
        try (Pipeline loaded = oddball.load(saved, CTX)) {
            Prediction after = loaded.predict(probe, OutlierType.INSTANCE, null, false, true);
            assertThat(after.instanceScores()).containsExactly(before.instanceScores());
            assertThat(after.isOutlier()).containsExactly(before.isOutlier());
            assertThatThrownBy(() -> loaded.score(Batch.of(new float[784], Shape.of(1, 28, 28, 1))))
                    .isInstanceOf(DataException.class)
                    .hasMessage("input: expected instances of 32x32x3 (the detector's input), found instances of "
                            + "28x28x1");
        } finally {
            EncoderEmbedder.copyTree(aeCopy, ae);
        }
        // A saved detector without its embedding copy does not load.
        delete(saved.resolve("embed"));
        assertThatThrownBy(() -> oddball.load(saved, CTX)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(saved.resolve("detector.yaml") + " embed.detector: expected the embedding "
                        + "detector's copy");
    }

    @Test
    void anEmbeddingDetectorFolderThatIsALinkIsCopiedAsItsTarget(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path v3 = Files.createDirectories(dir.resolve("v3/model"));
        Files.writeString(v3.resolve("state.txt"), "weights");
        Files.writeString(dir.resolve("v3/detector.yaml"), "formatVersion: 2\n");
        Path current = Files.createSymbolicLink(dir.resolve("current"), dir.resolve("v3"));
        Path copy = dir.resolve("copy");
        EncoderEmbedder.copyTree(current, copy);
        assertThat(copy.resolve("model/state.txt")).hasContent("weights");
        assertThat(copy.resolve("detector.yaml")).isRegularFile();
    }

    @Test
    void savedModelEmbedderOnTheAutoencodersSavedModelGivesTheEncodersEmbeddings() throws IOException {
        Path encoderYaml = write("enc.yaml", knnYaml("{detector: " + ae + "}", "[]"));
        Path savedModelYaml = write("sm.yaml", knnYaml("{type: saved-model, path: " + ae.resolve("model/savedmodel")
                + ", output: embedding, batchSize: 16}", "[{scale: 255}]"));
        Path saved = tmp.resolve("knn-sm");
        float[] scores;
        try (Pipeline byEncoder = oddball.fit(encoderYaml, CTX); Pipeline bySavedModel = oddball.fit(savedModelYaml,
                CTX)) {
            Batch a = byEncoder.prepare(probe);
            Batch b = bySavedModel.prepare(probe);
            assertThat(b.shape()).isEqualTo(Shape.of(40, 16));
            // the SavedModel holds TensorFlow's stock ops, where the encoder in this JVM may run the convolutions'
            // patches in Oddball's op library: the same sums in another order, so equal to float rounding
            AePipelineTest.assertCloseTo(b.toArray(), a.toArray());
            scores = bySavedModel.score(probe).instanceScores();
            // (nearest-neighbour distances are differences of nearby embeddings: the rounding shows more)
            AePipelineTest.assertCloseTo(scores, byEncoder.score(probe).instanceScores(), 1e-4f);
            oddball.save(bySavedModel, saved);
        }
        assertThat(Files.readString(saved.resolve("detector.yaml"))).contains("type: saved-model")
                .contains("path: embed").contains("output: embedding").contains("batchSize: 16");
        assertThat(saved.resolve("embed/saved_model.pb")).isRegularFile();
        try (Pipeline loaded = oddball.load(saved, CTX)) {
            assertThat(loaded.score(probe).instanceScores()).containsExactly(scores);
        }
    }

    @Test
    void embedErrorsNameTheYamlPathAndWhatWasExpected() throws IOException {
        assertThat(oddball.plugins().names(Kind.EMBEDDER)).contains("saved-model");
        Path missing = write("missing.yaml", knnYaml("{detector: no-such-dir}", "[]"));
        assertThatThrownBy(() -> oddball.parse(missing, CTX)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.yaml:5 embed.detector: expected a saved detector directory (looked for")
                .hasMessageContaining("found 'no-such-dir'");
        Path badOutput = write("bad-output.yaml", knnYaml("{type: saved-model, path: " + ae.resolve(
                "model/savedmodel") + ", output: logits}", "[{scale: 255}]"));
        assertThatThrownBy(() -> oddball.parse(badOutput, CTX)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad-output.yaml:5 embed.output: expected an output of signature "
                        + "serving_default [embedding, feature_scores, reconstruction], found 'logits'");
        Path unknownType = write("unknown-type.yaml", knnYaml("{type: resnet}", "[]"));
        assertThatThrownBy(() -> oddball.parse(unknownType, CTX)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("embed.type: expected a known embedder type [saved-model], found 'resnet'");
        Path wrongShape = write("wrong-shape.yaml", """
                detector: {type: knn}
                data:
                  train: {path: %s, limit: 100}
                embed: {detector: %s}
                """.formatted(MNIST, ae));
        assertThatThrownBy(() -> oddball.parse(wrongShape, CTX)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("data.train.path: expected instances of 32x32x3 (the embed stage's "
                        + "input), found instances of 28x28x1");
    }

    @Test
    void aDetectorThatCannotEncodeIsRefused() throws IOException {
        Path knnYaml = write("plain-knn.yaml", """
                detector: {type: knn}
                data:
                  train: {path: %s, limit: 50}
                """.formatted(MNIST));
        Path knn = tmp.resolve("plain-knn");
        try (Pipeline p = oddball.fit(knnYaml, CTX)) {
            oddball.save(p, knn);
        }
        assertThat(Files.readString(knn.resolve("detector.yaml"))).contains("formatVersion: 1");
        Path yaml = write("embed-knn.yaml", knnYaml("{detector: plain-knn}", "[]"));
        assertThatThrownBy(() -> oddball.parse(yaml, CTX)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("embed.detector: expected a saved detector that can encode (e.g. type ae), "
                        + "found 'type 'knn''");
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
