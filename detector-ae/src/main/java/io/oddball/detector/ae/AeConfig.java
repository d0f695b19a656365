package io.oddball.detector.ae;

import static java.util.Objects.requireNonNull;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.tf.DetectorParams;
import io.oddball.tf.autoencoder.Architecture;
import io.oddball.tf.autoencoder.NetworkSpec;
import io.oddball.tf.layers.Activation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The autoencoder detector's parameters: the network ({@link NetworkSpec}: {@code architecture}, {@code latentDim} and
 * the keys of that architecture) and {@code inferenceBatchSize}.
 *
 * @param network the encoder–decoder parameters
 * @param inferenceBatchSize most instances scored per TensorFlow run ({@code inferenceBatchSize})
 */
public record AeConfig(NetworkSpec network, int inferenceBatchSize) {

    /** Default {@code inferenceBatchSize}. */
    public static final int DEFAULT_INFERENCE_BATCH = 256;

    /** The architectures of the {@code ae} detector: all. */
    public static final List<Architecture> ARCHITECTURES = Arrays.asList(Architecture.values());

    /** Checks the values; YAML problems are reported through {@link Params} instead. */
    public AeConfig {
        requireNonNull(network, "network is null");
        if (inferenceBatchSize < 1) {
            throw new IllegalArgumentException("inferenceBatchSize: expected >= 1, found " + inferenceBatchSize);
        }
    }

    /** A configuration from its parts (see {@link NetworkSpec} for their meaning). */
    public AeConfig(Architecture architecture, List<Integer> filters, int latentDim, int kernel, int stride,
            List<Integer> hidden, Activation outputActivation, int inferenceBatchSize) {
        this(new NetworkSpec(architecture, filters, latentDim, kernel, stride, hidden, outputActivation),
                inferenceBatchSize);
    }

    /** The network's architecture. */
    public Architecture architecture() {
        return network.architecture();
    }

    /** The network's code size. */
    public int latentDim() {
        return network.latentDim();
    }

    /** The defaults of {@code architecture}. */
    public static AeConfig defaults(Architecture architecture) {
        return new AeConfig(NetworkSpec.defaults(architecture), DEFAULT_INFERENCE_BATCH);
    }

    /** The schema of {@link #from}. */
    public static ConfigSchema schema() {
        List<ConfigSchema.Param> params = new ArrayList<>();
        for (ConfigSchema.Param p : NetworkSpec.schemaParams(ARCHITECTURES)) {
            params.add(p.name().equals("architecture") ? new ConfigSchema.Param(p.name(), p.type(), p.defaultValue(),
                    p.description() + ", " + SavedModelAe.ARCHITECTURE + " (the user's own trained SavedModels)")
                    : p);
        }
        String block = "a SavedModel {path, signature, input, output}";
        params.add(new ConfigSchema.Param("encoder", "map", "", "saved-model: " + block + ", instance → code"));
        params.add(new ConfigSchema.Param("decoder", "map", "", "saved-model: " + block + ", code → reconstruction"));
        params.add(new ConfigSchema.Param("model", "map", "",
                "saved-model, instead of encoder and decoder: " + block + ", instance → reconstruction"));
        params.add(new ConfigSchema.Param("inferenceBatchSize", "int", String.valueOf(DEFAULT_INFERENCE_BATCH),
                "most instances per TensorFlow run when scoring (bounds memory)"));
        return ConfigSchema.of(params.toArray(ConfigSchema.Param[]::new));
    }

    /** Reads the parameters of the chosen architecture, recording bad values as problems of {@code p}. */
    public static AeConfig from(Params p) {
        requireNonNull(p, "p is null");
        NetworkSpec network = NetworkSpec.read(p, ARCHITECTURES);
        int batch = DetectorParams.positive(p, "inferenceBatchSize", DEFAULT_INFERENCE_BATCH);
        return new AeConfig(network, batch);
    }

    /** The parameters this architecture reads, as plain Java values readable by {@link #from}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(network.toMap());
        m.put("inferenceBatchSize", inferenceBatchSize);
        return m;
    }
}
