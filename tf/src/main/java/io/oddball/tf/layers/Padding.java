package io.oddball.tf.layers;

/**
 * Convolution padding: Keras' {@code same} (TensorFlow's SAME: output {@code ceil(in / stride)}, or {@code in ·
 * stride} transposed), or PyTorch's explicit symmetric {@code padding} with, for a transposed convolution, an
 * {@code outputPadding} added at the bottom and right.
 *
 * @param kerasSame whether this is Keras' {@code same}
 * @param padding PyTorch's {@code padding} (explicit only)
 * @param outputPadding PyTorch's {@code output_padding} (explicit transposed convolutions only)
 */
public record Padding(boolean kerasSame, int padding, int outputPadding) {
    public Padding {
        if (padding < 0 || outputPadding < 0) {
            throw new IllegalArgumentException("padding: expected >= 0, found " + padding + ", " + outputPadding);
        }
    }

    /** Keras' {@code padding='same'}. */
    public static Padding same() {
        return new Padding(true, 0, 0);
    }

    /** PyTorch's {@code padding=p}. */
    public static Padding explicit(int padding) {
        return new Padding(false, padding, 0);
    }

    /** PyTorch's {@code padding=p, output_padding=op} of a transposed convolution. */
    public static Padding explicit(int padding, int outputPadding) {
        return new Padding(false, padding, outputPadding);
    }

    @Override
    public String toString() {
        return kerasSame ? "same" : "padding " + padding + (outputPadding > 0 ? ", output padding " + outputPadding : "");
    }
}
