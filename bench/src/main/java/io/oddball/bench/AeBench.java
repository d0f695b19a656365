package io.oddball.bench;

import io.oddball.detector.ae.AeConfig;
import io.oddball.detector.ae.AeDetector;
import java.util.Map;

/**
 * Autoencoder speed ({@code ae}, Alibi's CIFAR-10 network by default): training ms/step and inference images/s, as
 * {@link DeepBench} measures them.
 *
 * <pre>
 * java -cp ... io.oddball.bench.AeBench [--arch alibi-cifar10] [--batch 64] [--steps 30] [--warmup 3]
 *     [--inferBatch 256] [--inferBatches 10]
 * </pre>
 */
public final class AeBench {
    private AeBench() {
    }

    /** Entry point; see the class comment for arguments. */
    public static void main(String[] args) {
        DeepBench.run("ae", args, Map.of(), (p, ctx) -> new AeDetector(AeConfig.from(p), ctx));
    }
}
