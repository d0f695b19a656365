package io.oddball.tf.autoencoder;

import java.util.List;

/** The encoder–decoder architectures of the autoencoder detectors ({@code ae}, {@code vae}), by YAML name. */
public enum Architecture {
    /** A configurable convolutional autoencoder for any {@code H×W×C} (or {@code H×W}) instances. */
    CONV("conv"),
    /** A fully connected autoencoder for tabular rows (or any instance, flattened). */
    MLP("mlp"),
    /** Alibi Detect's CIFAR-10 {@code OutlierAE} example, exactly; 32×32×3 instances. */
    ALIBI_CIFAR10("alibi-cifar10"),
    /** The PyTorch screen example's conv autoencoder (a gate in front of a classifier); 32×32×3 instances. */
    SCREEN_CIFAR("screen-cifar");

    private final String yamlName;

    Architecture(String yamlName) {
        this.yamlName = yamlName;
    }

    /** Whether its layers are configured ({@code conv}, {@code mlp}) rather than fixed by an example. */
    public boolean configurable() {
        return this == CONV || this == MLP;
    }

    /** The YAML value. */
    public String yamlName() {
        return yamlName;
    }

    /** All YAML values. */
    public static List<String> yamlNames() {
        return java.util.Arrays.stream(values()).map(Architecture::yamlName).toList();
    }

    /** The architecture named {@code name}. */
    public static Architecture of(String name) {
        for (Architecture a : values()) {
            if (a.yamlName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("architecture: expected one of " + yamlNames() + ", found " + name);
    }
}
