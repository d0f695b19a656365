package io.oddball.server;

import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.pipeline.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Detectors for the server tests, made once per JVM: a KNN fitted on 300 Fashion-MNIST images, a small conv AE
 * fitted for one epoch on 200 MNIST digits (both from the repository's data slices), and the shipped LLR.
 */
final class TestModels {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path FASHION = REPO.resolve("data/fashion-mnist/fashion-mnist-test-2000-images-idx3-ubyte.gz");
    static final Path MNIST = REPO.resolve("data/mnist/mnist-test-2000-images-idx3-ubyte.gz");
    static final Path LLR = REPO.resolve("models/fashion-mnist-llr");
    static final RuntimeContext CTX = new RuntimeContext("cpu", false);

    private static TestModels instance;

    final Oddball oddball = Oddball.create(List.of());
    final Path knn;
    final Path ae;

    private TestModels(Path dir) {
        knn = fit(dir, "knn", """
                detector: {type: knn, k: 5}
                data: {train: {path: %s, limit: 300}}
                preprocess: [{scale: 255}]
                threshold: {type: percentile, percent: 95}
                """.formatted(FASHION));
        ae = fit(dir, "ae", """
                detector:
                  type: ae
                  architecture: conv
                  filters: [4, 8]
                  latentDim: 8
                  fit: {epochs: 1, batchSize: 32, learningRate: 2.0e-3, seed: 1}
                data: {train: {path: %s, limit: 200}}
                preprocess: [{scale: 255}]
                scorer: {type: top-percent, outlierPerc: 100}
                threshold: {type: percentile, percent: 95}
                """.formatted(MNIST));
    }

    static synchronized TestModels get() {
        if (instance == null) {
            try {
                instance = new TestModels(Files.createTempDirectory("oddball-serve-test"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private Path fit(Path dir, String name, String yaml) {
        try {
            Path y = dir.resolve(name + ".yaml");
            Files.writeString(y, yaml);
            Path out = dir.resolve(name);
            try (Pipeline p = oddball.fit(y, CTX)) {
                oddball.save(p, out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code n} images of {@code file} after {@code offset}, as {@code n×28×28×1} pixels 0..255. */
    static float[] images(Path file, int offset, int n) {
        Dataset d = get().oddball.openData(file, null, Map.of("offset", offset, "limit", n));
        try (BatchIterator it = d.batches(n)) {
            Batch b = it.next();
            return b.toArray();
        }
    }

    static Batch batch(float[] pixels) {
        return Batch.of(pixels, Shape.of(pixels.length / 784, 28, 28, 1));
    }
}
