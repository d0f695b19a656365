package io.oddball.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.result.OutlierType;
import io.oddball.api.result.Prediction;
import io.oddball.runtime.Oddball;
import io.oddball.tf.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
        Random r = new Random(3);
        float[] noise = new float[100 * 3072];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = r.nextInt(256);
        }
        Npy.write(tmp.resolve("noise.npy"), new int[] {100, 32, 32, 3}, noise);
        Path yaml = tmp.resolve("ae.yaml");
        Files.writeString(yaml, """
                detector:
                  type: ae
                  architecture: conv
                  filters: [8, 16]
                  latentDim: 16
                  fit: {epochs: 3, batchSize: 32, learningRate: 2.0e-3, seed: 1}
                data:
                  train: {format: cifar10, path: %s, limit: 500}
                preprocess: [{scale: 255}]
                scorer: {type: top-percent, outlierPerc: 75}
                threshold: {type: percentile, percent: 99}
                evaluate:
                  in: {format: cifar10, path: %s, offset: 800}
                  ood: {path: noise.npy}
                """.formatted(CIFAR, CIFAR));
        Oddball oddball = Oddball.create(List.of());
        Oddball.PipelineSpec spec = oddball.parse(yaml, CTX);
        Path dir = tmp.resolve("saved-ae");
        Batch probe = firstBatch(oddball.openData(CIFAR, "cifar10", Map.of("offset", 900, "limit", 20)));
        Prediction before;
        double threshold;
        try (Pipeline p = oddball.fit(spec, CTX)) {
            assertThat(p.detectorName()).isEqualTo("ae");
            assertThat(p.info().trainInstances()).isEqualTo(500);
            threshold = p.threshold();
            assertThat(threshold).isPositive();
            before = p.predict(probe, OutlierType.INSTANCE, null, true, true);
            oddball.save(p, dir);
        }
        assertThat(dir.resolve("model/savedmodel/saved_model.pb")).isRegularFile();
        assertThat(Files.readString(dir.resolve("detector.yaml"))).contains("type: ae")
                .contains("architecture: conv");
        try (Pipeline loaded = oddball.load(dir, CTX)) {
            assertThat(loaded.threshold()).isEqualTo(threshold);
            Prediction after = loaded.predict(probe, OutlierType.INSTANCE, null, true, true);
            assertThat(after.instanceScores()).containsExactly(before.instanceScores());
            assertThat(after.featureScores()).containsExactly(before.featureScores());
            Oddball.EvaluationResult ev = oddball.evaluate(loaded, spec.evaluateIn(), spec.evaluateOod(), 64, CTX);
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
