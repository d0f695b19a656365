package io.oddball.runtime.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VAE plugin through the runtime: YAML → fit on CIFAR-10 → save → load → predict (same draws), evaluate. */
class VaePipelineTest {
    @TempDir
    Path tmp;

    @Test
    void vaeYamlPipelineFitsSavesLoadsPredictsAndEvaluates() throws IOException {
        CifarPipelineCheck.run(tmp, "vae", """
                type: vae
                architecture: conv
                filters: [8, 16]
                latentDim: 16
                covElbo: {sim: 0.05}
                samples: 2
                fit: {epochs: 4, batchSize: 32, learningRate: 3.0e-3, seed: 1}
                """);
    }
}
