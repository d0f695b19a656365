package io.oddball.tf.autoencoder;

import static java.util.Objects.requireNonNull;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.tf.DetectorParams;
import io.oddball.tf.layers.Activation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The encoder–decoder parameters shared by the autoencoder detectors (YAML keys in brackets), read from a detector's
 * parameter block. Which keys an architecture reads: every one {@code latentDim}; {@code conv} also {@code filters},
 * {@code kernel}, {@code stride} and {@code outputActivation}; {@code mlp} also {@code hidden} and
 * {@code outputActivation}. The fixed architectures ({@code alibi-cifar10}, {@code screen-cifar}) read nothing else,
 * so a stray {@code filters} is an unknown key.
 *
 * @param architecture the network ({@code architecture})
 * @param filters conv: channels of each encoder convolution; the decoder mirrors them ({@code filters})
 * @param latentDim size of the code between encoder and decoder ({@code latentDim})
 * @param kernel conv: kernel height and width ({@code kernel})
 * @param stride conv: stride of every convolution ({@code stride})
 * @param hidden mlp: sizes of the encoder's hidden layers; the decoder mirrors them ({@code hidden})
 * @param outputActivation conv, mlp: activation of the reconstruction ({@code outputActivation})
 */
public record NetworkSpec(Architecture architecture, List<Integer> filters, int latentDim, int kernel, int stride,
        List<Integer> hidden, Activation outputActivation) {

    /** Checks the values; YAML problems are reported through {@link Params} instead. */
    public NetworkSpec {
        requireNonNull(architecture, "architecture is null");
        requireNonNull(outputActivation, "outputActivation is null");
        filters = List.copyOf(filters);
        hidden = List.copyOf(hidden);
        if (latentDim < 1 || kernel < 1 || stride < 1
                || filters.stream().anyMatch(f -> f < 1) || hidden.stream().anyMatch(h -> h < 1)
                || (architecture == Architecture.CONV && filters.isEmpty())) {
            throw new IllegalArgumentException("invalid network parameters: " + architecture + ", filters "
                    + filters + ", latentDim " + latentDim + ", kernel " + kernel + ", stride " + stride
                    + ", hidden " + hidden);
        }
    }

    /** The defaults of {@code architecture}. */
    public static NetworkSpec defaults(Architecture architecture) {
        return switch (architecture) {
            case CONV -> new NetworkSpec(architecture, List.of(32, 64), 64, 4, 2, List.of(), Activation.SIGMOID);
            case MLP -> new NetworkSpec(architecture, List.of(), 8, 4, 2, List.of(64, 32), Activation.LINEAR);
            case ALIBI_CIFAR10 -> new NetworkSpec(architecture, List.of(64, 128, 512), 1024, 4, 2, List.of(),
                    Activation.SIGMOID);
            case SCREEN_CIFAR -> new NetworkSpec(architecture, List.of(16, 16, 32, 32, 64, 64), 1000, 3, 1,
                    List.of(), Activation.LINEAR);
        };
    }

    /** The schema entries of {@link #read}, in reading order, for a detector offering {@code allowed}. */
    public static List<ConfigSchema.Param> schemaParams(List<Architecture> allowed) {
        String latent = String.join(", ", allowed.stream()
                .map(a -> a.yamlName() + " " + defaults(a).latentDim()).toList());
        return List.of(
                new ConfigSchema.Param("architecture", "string", "conv", String.join(", ",
                        allowed.stream().map(Architecture::yamlName).toList())),
                new ConfigSchema.Param("latentDim", "int", latent, "size of the code between encoder and decoder"),
                new ConfigSchema.Param("filters", "list", "[32, 64]",
                        "conv: channels of each encoder convolution (decoder mirrors them)"),
                new ConfigSchema.Param("kernel", "int", "4", "conv: kernel height and width"),
                new ConfigSchema.Param("stride", "int", "2", "conv: stride of each convolution"),
                new ConfigSchema.Param("hidden", "list", "[64, 32]",
                        "mlp: encoder hidden layer sizes (decoder mirrors them)"),
                new ConfigSchema.Param("outputActivation", "string", "conv sigmoid, mlp linear",
                        "conv, mlp: activation of the reconstruction (sigmoid for data in [0, 1], else linear)"));
    }

    /**
     * Reads {@code architecture} (one of {@code allowed}, default {@code conv}) and the parameters of that
     * architecture, recording bad values as problems of {@code p}.
     */
    public static NetworkSpec read(Params p, List<Architecture> allowed) {
        requireNonNull(p, "p is null");
        requireNonNull(allowed, "allowed is null");
        Architecture arch = Architecture.of(p.getChoice("architecture", Architecture.CONV.yamlName(),
                allowed.stream().map(Architecture::yamlName).toList()));
        NetworkSpec d = defaults(arch);
        int latent = DetectorParams.positive(p, "latentDim", d.latentDim());
        List<Integer> filters = d.filters();
        int kernel = d.kernel();
        int stride = d.stride();
        List<Integer> hidden = d.hidden();
        Activation out = d.outputActivation();
        if (arch == Architecture.CONV) {
            filters = sizes(p, "filters", filters, false);
            kernel = DetectorParams.positive(p, "kernel", kernel);
            stride = DetectorParams.positive(p, "stride", stride);
        }
        if (arch == Architecture.MLP) {
            hidden = sizes(p, "hidden", hidden, true);
        }
        if (arch.configurable()) {
            out = Activation.of(p.getChoice("outputActivation", out.yamlName(),
                    List.of("sigmoid", "linear", "relu", "elu")));
        }
        return new NetworkSpec(arch, filters, latent, kernel, stride, hidden, out);
    }

    private static List<Integer> sizes(Params p, String key, List<Integer> defaultValue, boolean mayBeEmpty) {
        List<Double> raw = p.getDoubleList(key, null);
        if (raw == null) {
            return defaultValue;
        }
        List<Integer> out = new ArrayList<>();
        for (double v : raw) {
            if (v < 1 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
                p.problem(key, "a list of integers >= 1", raw);
                return defaultValue;
            }
            out.add((int) v);
        }
        if (out.isEmpty() && !mayBeEmpty) {
            p.problem(key, "a non-empty list of integers >= 1", raw);
            return defaultValue;
        }
        return out;
    }

    /** The parameters this architecture reads, as plain Java values readable by {@link #read}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", architecture.yamlName());
        m.put("latentDim", latentDim);
        if (architecture == Architecture.CONV) {
            m.put("filters", filters);
            m.put("kernel", kernel);
            m.put("stride", stride);
        }
        if (architecture == Architecture.MLP) {
            m.put("hidden", hidden);
        }
        if (architecture.configurable()) {
            m.put("outputActivation", outputActivation.yamlName());
        }
        return m;
    }
}
