package io.oddball.detector.vae;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
import io.oddball.tf.TfOptions;
import io.oddball.tf.autoencoder.EncoderDecoder;
import io.oddball.tf.autoencoder.NetworkSpec;
import io.oddball.tf.layers.Activation;
import io.oddball.tf.layers.Dense;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.Sequential;
import io.oddball.tf.layers.WeightSpec;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The VAE of a {@link NetworkSpec}: the autoencoder's encoder without its code layer ({@link EncoderDecoder#encoderBody()}),
 * two linear Dense heads of {@code latentDim} units for the mean ({@code mu}) and log-variance ({@code lv}) of
 * {@code q(z|x)}, and the autoencoder's decoder — Alibi's {@code EncoderVAE} on the same stacks as its
 * {@code OutlierAE} (for {@code alibi-cifar10} the PyTorch peer's 20.85 M parameters).
 *
 * @param stacks the autoencoder's encoder and decoder
 * @param body the encoder without its code layer
 * @param mean the mean head
 * @param logVar the log-variance head
 */
record VaeNetwork(EncoderDecoder stacks, Sequential body, Sequential mean, Sequential logVar)
        implements io.oddball.tf.autoencoder.Network {
    VaeNetwork {
        requireNonNull(stacks, "stacks is null");
        requireNonNull(body, "body is null");
        requireNonNull(mean, "mean is null");
        requireNonNull(logVar, "logVar is null");
    }

    /** The network of {@code spec} for instances of {@code input}; a shape it cannot take is a DataException. */
    static VaeNetwork of(NetworkSpec spec, Shape input) {
        return of(spec, input, true);
    }

    /** {@code training} false: a saved network loaded to score (see {@link EncoderDecoder#of(NetworkSpec, Shape,
     * String, boolean)}). */
    static VaeNetwork of(NetworkSpec spec, Shape input, boolean training) {
        EncoderDecoder ed = EncoderDecoder.of(spec, input, VaeDetectorProvider.NAME, training);
        return new VaeNetwork(ed, ed.encoderBody(), Sequential.of("mu", new Dense(spec.latentDim(),
                Activation.LINEAR)), Sequential.of("lv", new Dense(spec.latentDim(), Activation.LINEAR)));
    }

    @Override
    public Shape input() {
        return stacks.input();
    }

    int latentDim() {
        return mean.outputShape(features()).dim(0);
    }

    private Shape features() {
        return body.outputShape(input());
    }

    /** Every weight: encoder body, mean head, log-variance head, decoder. */
    @Override
    public List<WeightSpec> weights() {
        List<WeightSpec> w = new ArrayList<>(body.weights(input()));
        w.addAll(mean.weights(features()));
        w.addAll(logVar.weights(features()));
        w.addAll(stacks.decoder().weights(Shape.of(latentDim())));
        return w;
    }

    /** The mean and log-variance of {@code q(z|x)}, each {@code [n, latentDim]}, built as {@code options} say. */
    Operand<TFloat32>[] encode(Ops tf, Operand<TFloat32> x, ModelVariables vars, TfOptions options) {
        Operand<TFloat32> h = body.build(tf, x, input(), vars, options);
        @SuppressWarnings("unchecked")
        Operand<TFloat32>[] out = new Operand[] {mean.build(tf, h, features(), vars, options),
            logVar.build(tf, h, features(), vars, options)};
        return out;
    }

    /**
     * The reconstruction of latent codes {@code z} ({@code [m, latentDim]}), shape {@code [m, input]}, built as
     * {@code options} say.
     */
    Operand<TFloat32> decode(Ops tf, Operand<TFloat32> z, ModelVariables vars, TfOptions options) {
        return stacks.decoder().build(tf, z, Shape.of(latentDim()), vars, options);
    }
}
