package io.oddball.runtime.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The autoencoder plugin through the runtime: YAML → fit on CIFAR-10 → save → load → predict, evaluate. */
class AePipelineTest {
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
}
