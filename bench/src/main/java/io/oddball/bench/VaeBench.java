package io.oddball.bench;

import io.oddball.detector.vae.VaeDetectorProvider;
import java.util.Map;

/**
 * Variational autoencoder speed ({@code vae}, Alibi's CIFAR-10 network, latent 1 024, {@code covElbo: {sim: 0.05}},
 * {@code samples: 2}, as the PyTorch peer {@code vae_peer.py}): training ms/step (ELBO) and inference images/s (two
 * decoded latent draws per image), as {@link DeepBench} measures them.
 *
 * <pre>
 * java -cp ... io.oddball.bench.VaeBench [--arch alibi-cifar10] [--batch 64] [--steps 30] [--warmup 3]
 *     [--inferBatch 256] [--inferBatches 10] [--samples 2]
 * </pre>
 */
public final class VaeBench {
    private VaeBench() {
    }

    /** Entry point; see the class comment for arguments. */
    public static void main(String[] args) {
        int samples = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--samples")) {
                samples = Integer.parseInt(args[i + 1]);
            }
        }
        DeepBench.run("vae", args, Map.of("latentDim", 1024, "covElbo", Map.of("sim", 0.05), "samples", samples),
                (p, ctx) -> new VaeDetectorProvider().create(p, ctx));
    }
}
