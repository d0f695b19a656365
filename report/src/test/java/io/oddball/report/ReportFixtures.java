package io.oddball.report;

import io.oddball.api.DetectorContext;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.pipeline.PipelineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small real pipelines fitted in seconds on the shipped MNIST and Fashion-MNIST slices, for report tests. */
final class ReportFixtures {
    static final DetectorContext CTX = DetectorContext.simple();
    static final Path MNIST = Path.of("../data/mnist/mnist-test-2000-images-idx3-ubyte.gz").toAbsolutePath()
            .normalize();
    static final Path FASHION = Path.of("../data/fashion-mnist/fashion-mnist-test-2000-images-idx3-ubyte.gz")
            .toAbsolutePath().normalize();
    static final Oddball ODDBALL = Oddball.create(List.of());

    private ReportFixtures() {
    }

    /** A tiny conv autoencoder on 600 MNIST digits (about two seconds), normal = digits. */
    static PipelineSpec ae(Path tmp, int epochs) throws IOException {
        return spec(tmp, "ae.yaml", """
                detector:
                  type: ae
                  architecture: conv
                  filters: [8, 16]
                  latentDim: 16
                  fit: {epochs: %d, batchSize: 32, learningRate: 3.0e-3, seed: 1}
                data:
                  train: {path: %s, limit: 600}
                preprocess: [{scale: 255}]
                scorer: {type: top-percent, outlierPerc: 100}
                threshold: {type: percentile, percent: 95}
                evaluate:
                  in: {path: %s, offset: 1800}
                  ood: {path: %s, limit: 200}
                """.formatted(epochs, MNIST, MNIST, FASHION));
    }

    /** KNN on 500 Fashion-MNIST images, normal = clothing, outliers = MNIST digits. */
    static PipelineSpec knn(Path tmp) throws IOException {
        return spec(tmp, "knn.yaml", """
                detector: {type: knn}
                data:
                  train: {path: %s, limit: 500}
                preprocess: [{scale: 255}]
                threshold: {type: percentile, percent: 95}
                evaluate:
                  in: {path: %s, offset: 1800}
                  ood: {path: %s, limit: 200}
                """.formatted(FASHION, FASHION, MNIST));
    }

    /** A tiny LLR detector (one hierarchy of 8 filters, one epoch on 64 Fashion-MNIST images, a few seconds). */
    static PipelineSpec llr(Path tmp) throws IOException {
        return spec(tmp, "llr.yaml", """
                detector:
                  type: llr
                  numResnet: 1
                  numHierarchies: 1
                  numFilters: 8
                  fit: {epochs: 1, batchSize: 32, seed: 1}
                data:
                  train: {path: %s, limit: 64}
                scorer: {type: sum}
                evaluate:
                  in: {path: %s, offset: 1900}
                  ood: {path: %s, limit: 100}
                """.formatted(FASHION, FASHION, MNIST));
    }

    private static PipelineSpec spec(Path tmp, String name, String yaml) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, yaml);
        return ODDBALL.parse(f, CTX);
    }

    static Pipeline fit(PipelineSpec spec) {
        return ODDBALL.fit(spec, CTX);
    }
}
