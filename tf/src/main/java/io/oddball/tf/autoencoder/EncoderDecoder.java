package io.oddball.tf.autoencoder;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.tf.TfOptions;
import io.oddball.tf.layers.Activation;
import io.oddball.tf.layers.Conv2D;
import io.oddball.tf.layers.Conv2DTranspose;
import io.oddball.tf.layers.Crop2D;
import io.oddball.tf.layers.Dense;
import io.oddball.tf.layers.Flatten;
import io.oddball.tf.layers.Layer;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.Padding;
import io.oddball.tf.layers.Reshape;
import io.oddball.tf.layers.Sequential;
import io.oddball.tf.layers.WeightSpec;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The encoder and decoder of a {@link NetworkSpec} for one instance shape, as layer descriptions (shared by the
 * {@code ae} and {@code vae} detectors; the encoder's last layer is the Dense code layer, which the VAE replaces by its
 * mean and log-variance heads, see {@link #encoderBody()}):
 * <ul>
 *   <li>{@code alibi-cifar10}: Conv2D 64, 128, 512 (kernel 4, stride 2, same, ReLU) → Flatten → Dense latent (linear);
 *       Dense 4·4·128 (linear) → Reshape 4×4×128 → Conv2DTranspose 256, 64 (ReLU), 3 (sigmoid), kernel 4, stride 2,
 *       same — Alibi Detect's CIFAR-10 example (12.46 M parameters).</li>
 *   <li>{@code screen-cifar}: Conv 3×3 3→16→16→32 (stride 2)→32→64 (stride 2)→64, padding 1, ReLU → Flatten →
 *       Dense 1000 ReLU; Dense 4096 ReLU → Reshape 8×8×64 → ConvTranspose 3×3 64→32 (stride 2, output padding 1)
 *       →32→16 (stride 2, output padding 1)→16→3, padding 1, ReLU between, linear output — PyTorch semantics.</li>
 *   <li>{@code conv}: Conv2D per {@code filters} (kernel, stride, same, ReLU) → Flatten → Dense latent; Dense →
 *       Reshape → Conv2DTranspose mirroring the filters (ReLU), last to the input channels with
 *       {@code outputActivation}, cropped to the input size when the strides do not divide it. {@code H×W} instances
 *       are treated as {@code H×W×1}.</li>
 *   <li>{@code mlp}: Dense per {@code hidden} (ReLU) → Dense latent (linear); Dense mirroring {@code hidden} (ReLU) →
 *       Dense to the input size with {@code outputActivation}. Instances of any shape are flattened.</li>
 * </ul>
 *
 * @param input shape of one instance
 * @param encoder instance → code
 * @param decoder code → reconstruction (shape {@code input})
 */
public record EncoderDecoder(Shape input, Sequential encoder, Sequential decoder) implements Network {
    public EncoderDecoder {
        requireNonNull(input, "input is null");
        requireNonNull(encoder, "encoder is null");
        requireNonNull(decoder, "decoder is null");
    }

    /**
     * The network of {@code config} for instances of {@code input}; a shape it cannot take is a DataException whose
     * message starts with {@code detector} (e.g. {@code ae}).
     */
    public static EncoderDecoder of(NetworkSpec config, Shape input, String detector) {
        return of(config, input, detector, true);
    }

    /**
     * As {@link #of(NetworkSpec, Shape, String)}; {@code training} false (a saved network being loaded to score)
     * leaves out the limit on the convolutions' patches, which bounds the memory of training, not of inference: a
     * detector trained and saved before that limit keeps loading.
     */
    public static EncoderDecoder of(NetworkSpec config, Shape input, String detector, boolean training) {
        requireNonNull(config, "config is null");
        requireNonNull(input, "input is null");
        String name = detector + ": " + config.architecture().yamlName();
        EncoderDecoder net = switch (config.architecture()) {
            case ALIBI_CIFAR10 -> alibi(config, requireCifar(input, name));
            case SCREEN_CIFAR -> screen(config, requireCifar(input, name));
            case CONV -> conv(config, input, name);
            case MLP -> mlp(config, input);
        };
        try {
            checkSize(net, config, input, name, training);
            Shape out = net.decoder.outputShape(net.encoder.outputShape(input));
            if (!out.equals(input)) {
                throw new IllegalStateException(name + ": reconstruction shape " + out + " differs from " + input);
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new DataException(name + ": cannot take instances of shape " + input + ": " + e.getMessage(), e);
        }
        return net;
    }

    /** A layer may hold this many times the values of one input instance... */
    static final long MAX_ACTIVATION_RATIO = 64;
    /** ...or this many values, whichever is more (small inputs may have wide layers). */
    static final long MIN_ACTIVATION_LIMIT = 1L << 22;
    /** Most trainable values of one network: 512 MiB of float32, three times that with Adam's moments. */
    static final long MAX_PARAMETERS = 1L << 27;

    /**
     * Refuses, before any tensor is allocated, hyper-parameters that make a layer far larger than the input (a stride
     * of 1000 makes the decoder's transposed convolutions a thousand times wider per layer) or the weights larger than
     * memory (a kernel of 1000): a configuration error naming the parameters, not hours of swapping or an
     * OutOfMemoryError.
     */
    private static void checkSize(EncoderDecoder net, NetworkSpec c, Shape input, String name, boolean training) {
        long limit = Math.max(MAX_ACTIVATION_RATIO * input.size(), MIN_ACTIVATION_LIMIT);
        String knobs = c.architecture() == Architecture.MLP ? "detector.hidden " + c.hidden() + " and detector."
                + "latentDim " + c.latentDim() : "detector.stride " + c.stride() + ", detector.kernel " + c.kernel()
                + ", detector.filters " + c.filters() + " and detector.latentDim " + c.latentDim();
        Shape s = input;
        int index = 0;
        long patches = 0;
        String tooManyPatches = null; // reported after the weights' count, the plainer problem when both hold
        for (Sequential part : List.of(net.encoder, net.decoder)) {
            for (Layer l : part.layers()) {
                index++;
                Shape in = s;
                try {
                    s = l.outputShape(s);
                    patches = Math.addExact(patches, patchValues(l, in, s));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw new ConfigException(name + ": expected layers that fit in memory, found layer " + index
                            + " (" + l.getClass().getSimpleName() + ") overflowing (" + e.getMessage() + "); lower "
                            + knobs);
                }
                if (s.size() > limit) {
                    throw new ConfigException(name + ": expected layers of at most " + limit + " values per instance ("
                            + MAX_ACTIVATION_RATIO + " times the input " + input + "), found layer " + index + " ("
                            + l.getClass().getSimpleName() + ") of " + s + " = " + s.size() + "; lower " + knobs);
                }
                if (patches > limit && tooManyPatches == null) {
                    tooManyPatches = name + ": expected the convolutions' patches to hold at most " + limit
                            + " values per instance (" + MAX_ACTIVATION_RATIO + " times the input " + input
                            + "), found " + patches + " by layer " + index + " (" + l.getClass().getSimpleName() + ", kernel "
                            + c.kernel() + "x" + c.kernel() + "; a kernel this large needs gigabytes to train); lower "
                            + knobs;
                }
            }
        }
        long params = 0;
        for (WeightSpec w : net.weights()) {
            params += w.shape().size();
            if (params > MAX_PARAMETERS || params < 0) {
                throw new ConfigException(name + ": expected at most " + MAX_PARAMETERS + " trainable values, found "
                        + "more (weight " + w.name() + " of " + w.shape() + "); lower " + knobs);
            }
        }
        if (tooManyPatches != null && training) {
            throw new ConfigException(tooManyPatches);
        }
    }

    /**
     * The values of the patch matrix a convolution multiplies for one instance (kernel × kernel × channels per output
     * position; for a transposed convolution per input position): TensorFlow holds it, and its gradient while
     * training, for a whole batch. A kernel of 200 on 28×28 images makes 31 M per instance, 16 GB at batch 32.
     */
    static long patchValues(Layer l, Shape in, Shape out) {
        if (l instanceof Conv2D conv) {
            return (long) out.dim(0) * out.dim(1) * conv.kernel() * conv.kernel() * in.dim(2);
        }
        if (l instanceof Conv2DTranspose t) {
            return (long) in.dim(0) * in.dim(1) * t.kernel() * t.kernel() * t.filters();
        }
        return 0;
    }

    private static Shape requireCifar(Shape input, String name) {
        if (!input.equals(Shape.of(32, 32, 3))) {
            throw new DataException(name + ": expected instances of shape 32x32x3, found " + input
                    + "; use architecture conv for other image sizes");
        }
        return input;
    }

    private static EncoderDecoder alibi(NetworkSpec c, Shape input) {
        Sequential enc = Sequential.of("enc",
                new Conv2D(64, 4, 2, Padding.same(), Activation.RELU),
                new Conv2D(128, 4, 2, Padding.same(), Activation.RELU),
                new Conv2D(512, 4, 2, Padding.same(), Activation.RELU),
                new Flatten(),
                new Dense(c.latentDim(), Activation.LINEAR));
        Sequential dec = Sequential.of("dec",
                new Dense(4 * 4 * 128, Activation.LINEAR),
                new Reshape(Shape.of(4, 4, 128)),
                new Conv2DTranspose(256, 4, 2, Padding.same(), Activation.RELU),
                new Conv2DTranspose(64, 4, 2, Padding.same(), Activation.RELU),
                new Conv2DTranspose(3, 4, 2, Padding.same(), Activation.SIGMOID));
        return new EncoderDecoder(input, enc, dec);
    }

    private static EncoderDecoder screen(NetworkSpec c, Shape input) {
        Padding p1 = Padding.explicit(1);
        Padding up = Padding.explicit(1, 1);
        Sequential enc = Sequential.of("enc",
                new Conv2D(16, 3, 1, p1, Activation.RELU),
                new Conv2D(16, 3, 1, p1, Activation.RELU),
                new Conv2D(32, 3, 2, p1, Activation.RELU),
                new Conv2D(32, 3, 1, p1, Activation.RELU),
                new Conv2D(64, 3, 2, p1, Activation.RELU),
                new Conv2D(64, 3, 1, p1, Activation.RELU),
                new Flatten(),
                new Dense(c.latentDim(), Activation.RELU));
        Sequential dec = Sequential.of("dec",
                new Dense(8 * 8 * 64, Activation.RELU),
                new Reshape(Shape.of(8, 8, 64)),
                new Conv2DTranspose(32, 3, 2, up, Activation.RELU),
                new Conv2DTranspose(32, 3, 1, p1, Activation.RELU),
                new Conv2DTranspose(16, 3, 2, up, Activation.RELU),
                new Conv2DTranspose(16, 3, 1, p1, Activation.RELU),
                new Conv2DTranspose(3, 3, 1, p1, Activation.LINEAR));
        return new EncoderDecoder(input, enc, dec);
    }

    private static EncoderDecoder conv(NetworkSpec c, Shape input, String name) {
        if (input.rank() != 2 && input.rank() != 3) {
            throw new DataException(name + ": expected image instances H×W×C or H×W, found " + input
                    + "; use architecture mlp for rows");
        }
        Shape image = input.rank() == 3 ? input : Shape.of(input.dim(0), input.dim(1), 1);
        List<Layer> enc = new ArrayList<>();
        if (input.rank() == 2) {
            enc.add(new Reshape(image));
        }
        int h = image.dim(0);
        int w = image.dim(1);
        for (int f : c.filters()) {
            enc.add(new Conv2D(f, c.kernel(), c.stride(), Padding.same(), Activation.RELU));
            h = (h + c.stride() - 1) / c.stride();
            w = (w + c.stride() - 1) / c.stride();
        }
        enc.add(new Flatten());
        enc.add(new Dense(c.latentDim(), Activation.LINEAR));
        List<Integer> filters = c.filters();
        int last = filters.get(filters.size() - 1);
        List<Layer> dec = new ArrayList<>();
        dec.add(new Dense(h * w * last, Activation.LINEAR));
        dec.add(new Reshape(Shape.of(h, w, last)));
        for (int i = filters.size() - 2; i >= 0; i--) {
            dec.add(new Conv2DTranspose(filters.get(i), c.kernel(), c.stride(), Padding.same(), Activation.RELU));
        }
        dec.add(new Conv2DTranspose(image.dim(2), c.kernel(), c.stride(), Padding.same(), c.outputActivation()));
        int outH = h;
        int outW = w;
        for (int i = 0; i < filters.size(); i++) {
            outH *= c.stride();
            outW *= c.stride();
        }
        if (outH != image.dim(0) || outW != image.dim(1)) {
            dec.add(new Crop2D(image.dim(0), image.dim(1)));
        }
        if (input.rank() == 2) {
            dec.add(new Reshape(input));
        }
        return new EncoderDecoder(input, new Sequential("enc", enc), new Sequential("dec", dec));
    }

    private static EncoderDecoder mlp(NetworkSpec c, Shape input) {
        int features = Math.toIntExact(input.size());
        List<Layer> enc = new ArrayList<>();
        if (input.rank() != 1) {
            enc.add(new Flatten());
        }
        for (int h : c.hidden()) {
            enc.add(new Dense(h, Activation.RELU));
        }
        enc.add(new Dense(c.latentDim(), Activation.LINEAR));
        List<Layer> dec = new ArrayList<>();
        for (int i = c.hidden().size() - 1; i >= 0; i--) {
            dec.add(new Dense(c.hidden().get(i), Activation.RELU));
        }
        dec.add(new Dense(features, c.outputActivation()));
        if (input.rank() != 1) {
            dec.add(new Reshape(input));
        }
        return new EncoderDecoder(input, new Sequential("enc", enc), new Sequential("dec", dec));
    }

    /**
     * The encoder without its code layer (named as in {@link #encoder()}, so the weights keep their names): instance
     * → features that a code layer, or a VAE's mean and log-variance heads, read.
     */
    public Sequential encoderBody() {
        List<Layer> layers = encoder.layers();
        return new Sequential(encoder.name(), layers.subList(0, layers.size() - 1));
    }

    /** Every weight, encoder first. */
    @Override
    public List<WeightSpec> weights() {
        List<WeightSpec> w = new ArrayList<>(encoder.weights(input));
        w.addAll(decoder.weights(encoder.outputShape(input)));
        return w;
    }

    /** Builds {@code decoder(encoder(x))} with the weights of {@code vars}, as {@code options} say. */
    public Operand<TFloat32> reconstruction(Ops tf, Operand<TFloat32> x, ModelVariables vars, TfOptions options) {
        return decoder.build(tf, encoder.build(tf, x, input, vars, options), encoder.outputShape(input), vars,
                options);
    }
}
