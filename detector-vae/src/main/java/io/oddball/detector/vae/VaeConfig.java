package io.oddball.detector.vae;

import static java.util.Objects.requireNonNull;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.tf.DetectorParams;
import io.oddball.tf.autoencoder.Architecture;
import io.oddball.tf.autoencoder.NetworkSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variational autoencoder detector's parameters: the network ({@link NetworkSpec}: {@code architecture},
 * {@code latentDim} and the keys of that architecture; the encoder's code layer becomes the mean and log-variance
 * heads), the ELBO's likelihood ({@code covElbo}) and KL weight ({@code beta}), the latent draws per scored instance
 * ({@code samples}), {@code scoreType} ({@code mse}, Alibi's only one) and {@code inferenceBatchSize}.
 *
 * @param network the encoder–decoder parameters
 * @param covElbo the likelihood of the reconstruction term
 * @param beta weight of the KL term
 * @param samples latent draws decoded per scored instance
 * @param inferenceBatchSize most instances scored per TensorFlow run
 */
public record VaeConfig(NetworkSpec network, CovElbo covElbo, double beta, int samples, int inferenceBatchSize) {
    /** Default {@code inferenceBatchSize}. */
    public static final int DEFAULT_INFERENCE_BATCH = 256;
    /** Default {@code samples}, Alibi's. */
    public static final int DEFAULT_SAMPLES = 2;
    /** The architectures of the {@code vae} detector. */
    public static final List<Architecture> ARCHITECTURES = List.of(Architecture.CONV, Architecture.MLP,
            Architecture.ALIBI_CIFAR10);

    /** Checks the values; YAML problems are reported through {@link Params} instead. */
    public VaeConfig {
        requireNonNull(network, "network is null");
        requireNonNull(covElbo, "covElbo is null");
        if (!ARCHITECTURES.contains(network.architecture()) || !(beta >= 0 && Double.isFinite(beta)) || samples < 1
                || inferenceBatchSize < 1) {
            throw new IllegalArgumentException("invalid vae parameters: " + network + ", beta " + beta
                    + ", samples " + samples + ", inferenceBatchSize " + inferenceBatchSize);
        }
    }

    /** The defaults of {@code architecture}. */
    public static VaeConfig defaults(Architecture architecture) {
        return new VaeConfig(NetworkSpec.defaults(architecture), CovElbo.defaults(), 1.0, DEFAULT_SAMPLES,
                DEFAULT_INFERENCE_BATCH);
    }

    /** The schema of {@link #from}. */
    public static ConfigSchema schema() {
        List<ConfigSchema.Param> params = new ArrayList<>(NetworkSpec.schemaParams(ARCHITECTURES));
        params.add(new ConfigSchema.Param("covElbo", "map", "{sim: 0.05}",
                "likelihood of the ELBO: {sim: s} fixed sigma s, {diag: data} sigma per feature from the data, "
                        + "{diag: learned} a trained log-variance per feature"));
        params.add(new ConfigSchema.Param("beta", "number", "1.0", "weight of the KL term"));
        params.add(new ConfigSchema.Param("samples", "int", String.valueOf(DEFAULT_SAMPLES),
                "latent draws decoded per scored instance; feature score = mean squared error over them"));
        params.add(new ConfigSchema.Param("scoreType", "string", "mse", "score of the reconstructions (mse only)"));
        params.add(new ConfigSchema.Param("inferenceBatchSize", "int", String.valueOf(DEFAULT_INFERENCE_BATCH),
                "most instances per TensorFlow run when scoring (bounds memory)"));
        return ConfigSchema.of(params.toArray(ConfigSchema.Param[]::new));
    }

    /** Reads the parameters, recording bad values as problems of {@code p}. */
    public static VaeConfig from(Params p) {
        requireNonNull(p, "p is null");
        NetworkSpec network = NetworkSpec.read(p, ARCHITECTURES);
        CovElbo cov = CovElbo.read(p);
        double beta = p.getDouble("beta", 1.0);
        if (!(beta >= 0 && Double.isFinite(beta))) {
            p.problem("beta", "a number >= 0", beta);
            beta = 1.0;
        }
        int samples = DetectorParams.positive(p, "samples", DEFAULT_SAMPLES);
        p.getChoice("scoreType", "mse", List.of("mse"));
        int batch = DetectorParams.positive(p, "inferenceBatchSize", DEFAULT_INFERENCE_BATCH);
        return new VaeConfig(network, cov, beta, samples, batch);
    }

    /** The parameters, as plain Java values readable by {@link #from}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(network.toMap());
        m.put("covElbo", covElbo.toMap());
        m.put("beta", beta);
        m.put("samples", samples);
        m.put("scoreType", "mse");
        m.put("inferenceBatchSize", inferenceBatchSize);
        return m;
    }
}
