package io.oddball.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.result.OutlierType;
import io.oddball.api.result.Prediction;
import io.oddball.runtime.Oddball;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The autoencoder plugin through the runtime: YAML → fit on CIFAR-10 → save → load → predict, evaluate. */
class AePipelineTest {
    private static final DetectorContext CTX = DetectorContext.simple();
    private static final Path CIFAR = Path.of("../data/cifar10/cifar10-data-batch-1-first1000.bin.gz")
            .toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void aeYamlPipelineFitsSavesLoadsPredictsAndEvaluates() throws IOException {
        CifarPipelineCheck.run(tmp, "ae", """
                type: ae
                architecture: conv
                filters: [8, 16]
                latentDim: 16
                fit: {epochs: 3, batchSize: 32, learningRate: 2.0e-3, seed: 1}
                """);
    }

    /**
     * A user's own trained autoencoder ({@code architecture: saved-model}): here the SavedModel of an autoencoder
     * fitted by a first pipeline. The second pipeline trains nothing, gets the same threshold and scores, and its
     * saved detector keeps scoring after the original SavedModel is deleted.
     */
    @Test
    void aUsersTrainedSavedModelScoresAsTheDetectorItCameFrom() throws IOException {
        Oddball oddball = Oddball.create(List.of());
        Path first = tmp.resolve("trained");
        Batch probe;
        try (BatchIterator it = oddball.openData(CIFAR, "cifar10", Map.of("offset", 900, "limit", 20)).batches(64)) {
            probe = it.next();
        }
        Prediction expected;
        double threshold;
        try (Pipeline p = oddball.fit(oddball.parse(yaml("ae.yaml", """
                type: ae
                architecture: conv
                filters: [8]
                latentDim: 8
                fit: {epochs: 1, batchSize: 32, seed: 1}
                """), CTX), CTX)) {
            expected = p.predict(probe, OutlierType.INSTANCE, null, true, true);
            threshold = p.threshold();
            oddball.save(p, first);
        }
        Path copy = tmp.resolve("user-model");
        Files.move(first.resolve("model/savedmodel"), copy);
        Path saved = tmp.resolve("saved-user");
        try (Pipeline p = oddball.fit(oddball.parse(yaml("user.yaml", """
                type: ae
                architecture: saved-model
                model: {path: %s, output: reconstruction}
                """.formatted(copy)), CTX), CTX)) {
            // the SavedModel holds TensorFlow's stock ops, where the fitted detector ran the convolutions' patches in
            // Oddball's op library (if it loads): the same sums in another order, so equal to float rounding
            assertThat(p.threshold()).isCloseTo(threshold, within(1e-6 * Math.abs(threshold)));
            Prediction got = p.predict(probe, OutlierType.INSTANCE, null, true, true);
            assertCloseTo(got.instanceScores(), expected.instanceScores());
            assertCloseTo(got.featureScores(), expected.featureScores());
            oddball.save(p, saved);
        }
        assertThat(Files.readString(saved.resolve("detector.yaml"))).contains("architecture: saved-model")
                .contains("output: reconstruction");
        assertThat(saved.resolve("model/model/saved_model.pb")).isRegularFile();
        try (var files = Files.walk(copy)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        try (Pipeline loaded = oddball.load(saved, CTX)) {
            assertThat(loaded.threshold()).isCloseTo(threshold, within(1e-6 * Math.abs(threshold)));
            assertCloseTo(loaded.predict(probe, OutlierType.INSTANCE, null, true, true).instanceScores(),
                    expected.instanceScores());
        }
    }

    /** Equal to float rounding: within 1e-5 of the largest magnitude expected. */
    static void assertCloseTo(float[] actual, float[] expected) {
        assertCloseTo(actual, expected, 1e-5f);
    }

    /** Within {@code tolerance} times the largest magnitude expected. */
    static void assertCloseTo(float[] actual, float[] expected, float tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        float range = 0;
        for (float e : expected) {
            range = Math.max(range, Math.abs(e));
        }
        assertThat(range).isGreaterThan(0);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("value %d", i).isCloseTo(expected[i], within(tolerance * range));
        }
    }

    private Path yaml(String name, String detector) throws IOException {
        Path yaml = tmp.resolve(name);
        Files.writeString(yaml, """
                detector:
                %s
                data:
                  train: {format: cifar10, path: %s, limit: 300}
                preprocess: [{scale: 255}]
                scorer: {type: top-percent, outlierPerc: 75}
                threshold: {type: percentile, percent: 99}
                """.formatted("  " + detector.strip().replace("\n", "\n  "), CIFAR));
        return yaml;
    }
}
