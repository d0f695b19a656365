package io.oddball.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Npy;
import io.oddball.api.result.OutlierType;
import io.oddball.api.result.Prediction;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.eval.EvaluationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The check shared by the deep detectors' pipeline tests: a YAML pipeline with the given detector block fits on 500
 * CIFAR-10 images, is saved and loaded, predicts bit-identically, and evaluates held-out images against noise images.
 */
final class CifarPipelineCheck {
    private static final DetectorContext CTX = DetectorContext.simple();
    private static final Path CIFAR = Path.of("../data/cifar10/cifar10-data-batch-1-first1000.bin.gz")
            .toAbsolutePath().normalize();

    private CifarPipelineCheck() {
    }

    /** Runs the check in {@code tmp} for a detector of {@code type} whose YAML block is {@code detectorYaml}. */
    static void run(Path tmp, String type, String detectorYaml) throws IOException {
        Random r = new Random(3);
        float[] noise = new float[100 * 3072];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = r.nextInt(256);
        }
        Npy.write(tmp.resolve("noise.npy"), new int[] {100, 32, 32, 3}, noise);
        Path yaml = tmp.resolve(type + ".yaml");
        Files.writeString(yaml, """
                detector:
                %s
                data:
                  train: {format: cifar10, path: %s, limit: 500}
                preprocess: [{scale: 255}]
                scorer: {type: top-percent, outlierPerc: 75}
                threshold: {type: percentile, percent: 99}
                evaluate:
                  in: {format: cifar10, path: %s, offset: 800}
                  ood: {path: noise.npy}
                """.formatted("  " + detectorYaml.strip().replace("\n", "\n  "), CIFAR, CIFAR));
        Oddball oddball = Oddball.create(List.of());
        PipelineSpec spec = oddball.parse(yaml, CTX);
        Path dir = tmp.resolve("saved-" + type);
        Batch probe = firstBatch(oddball.openData(CIFAR, "cifar10", Map.of("offset", 900, "limit", 20)));
        Prediction before;
        double threshold;
        try (Pipeline p = oddball.fit(spec, CTX)) {
            assertThat(p.detectorName()).isEqualTo(type);
            assertThat(p.info().trainInstances()).isEqualTo(500);
            threshold = p.threshold();
            assertThat(threshold).isPositive();
            before = p.predict(probe, OutlierType.INSTANCE, null, true, true);
            oddball.save(p, dir);
        }
        assertThat(dir.resolve("model/savedmodel/saved_model.pb")).isRegularFile();
        assertThat(Files.readString(dir.resolve("detector.yaml"))).contains("type: " + type)
                .contains("architecture: conv");
        try (Pipeline loaded = oddball.load(dir, CTX)) {
            assertThat(loaded.threshold()).isEqualTo(threshold);
            Prediction after = loaded.predict(probe, OutlierType.INSTANCE, null, true, true);
            assertThat(after.instanceScores()).containsExactly(before.instanceScores());
            assertThat(after.featureScores()).containsExactly(before.featureScores());
            EvaluationResult ev = oddball.evaluate(loaded, spec.evaluateIn(), spec.evaluateOod(), 64, CTX);
            assertThat(ev.inScores()).hasSize(200);
            // A 3-epoch, 2-layer model: the quality bound lives in the detector tests; here the plumbing must hold.
            assertThat(ev.metrics().auroc()).isGreaterThan(0.9);
        }
    }

    private static Batch firstBatch(Dataset d) {
        try (BatchIterator it = d.batches(64)) {
            return it.next();
        }
    }
}
