package io.oddball.tf.kernels;

import static java.util.Objects.requireNonNull;

import io.oddball.tf.TfOptions;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The kernels one graph is built with: the fused ops of an {@link OpLibrary} where the graph's {@link TfOptions} ask
 * for it and it loads, TensorFlow's stock ops otherwise. The elementwise ops ({@link #concatElu},
 * {@link #biasSumConcatElu}, {@link #gate}) build either form with the same values; the convolution pieces
 * ({@link #convFilterGrad}, {@link #patches}, {@link #patchesGradient}) return null in stock form, and the caller then
 * builds its own stock ops.
 *
 * <p>The op library is optional: its provider is looked up once per process on the class path
 * ({@link ServiceLoader}); without one, or where it does not load, every graph is built with the stock ops and says
 * so once in the log.
 */
public final class Kernels {
    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
    private static final Kernels STOCK = new Kernels(null);
    private static OpLibrary provider;
    private static String missing;
    private static boolean looked;
    private static boolean told;

    private final OpLibrary library;

    private Kernels(OpLibrary library) {
        this.library = library;
    }

    /**
     * The kernels {@code options} ask for: the op library when its use is {@code on} and it loads, or {@code auto}
     * and it loads and runs a build measured faster than the stock ops here; the stock ops otherwise.
     */
    public static Kernels of(TfOptions options) {
        requireNonNull(options, "options is null");
        if (options.opLibrary() == TfOptions.OpLibraryUse.OFF) {
            return STOCK;
        }
        OpLibrary lib = loaded();
        if (lib == null) {
            return STOCK;
        }
        return options.opLibrary() == TfOptions.OpLibraryUse.ON || lib.fasterThanStockOps() ? new Kernels(lib)
                : STOCK;
    }

    /** TensorFlow's stock ops. */
    public static Kernels stock() {
        return STOCK;
    }

    /** The op library on the class path, loaded (once per process); null where there is none or it does not load. */
    public static synchronized OpLibrary loaded() {
        if (!looked) {
            looked = true;
            try {
                Iterator<OpLibrary> it = ServiceLoader.load(OpLibrary.class, Kernels.class.getClassLoader())
                        .iterator();
                provider = it.hasNext() ? it.next() : null;
            } catch (ServiceConfigurationError e) {
                missing = "the op library's provider cannot be made: " + e.getMessage();
            }
            if (provider == null && missing == null) {
                missing = "no op library on the class path (io.oddball:oddball-tf-ops)";
            }
        }
        OpLibrary lib = provider != null && provider.load() ? provider : null;
        if (provider == null && !told) {
            // (a provider that does not load says why itself)
            told = true;
            LOG.info("{}; PixelCNN++ and the autoencoders run on TensorFlow's stock ops (slower)",
                    unavailableReason());
        }
        return lib;
    }

    /** Why no op library is used ({@link #loaded()} is null); null when one is loaded. */
    public static synchronized String unavailableReason() {
        if (!looked) {
            loaded();
        }
        return provider == null ? missing : provider.unavailableReason();
    }

    /** Whether these are the op library's kernels. */
    public boolean fused() {
        return library != null;
    }

    /** {@code concat(elu(x), elu(−x))} along the last axis of {@code x = concat(xs)} (same leading dimensions). */
    public Operand<TFloat32> concatElu(Ops tf, List<Operand<TFloat32>> xs) {
        requireNonNull(xs, "xs is null");
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("concatElu: expected at least one input, found none");
        }
        if (library != null) {
            return library.concatElu(tf, xs);
        }
        Operand<TFloat32> x = xs.size() == 1 ? xs.get(0) : tf.concat(xs, tf.constant(-1));
        return tf.nn.elu(tf.concat(List.of(x, tf.math.neg(x)), tf.constant(-1)));
    }

    /** {@code concat(elu(z), elu(−z))} along the last axis of {@code z = Σ xs + bias} ({@code xs} of one shape). */
    public Operand<TFloat32> biasSumConcatElu(Ops tf, List<Operand<TFloat32>> xs, Operand<TFloat32> bias) {
        return biasSumConcatElu(tf, xs, bias, null);
    }

    /**
     * {@link #biasSumConcatElu(Ops, List, Operand)} times {@code scale} ({@code [B, 1, 1, 2C]}: one factor per
     * instance and output channel, as channel dropout draws them; null: none).
     */
    public Operand<TFloat32> biasSumConcatElu(Ops tf, List<Operand<TFloat32>> xs, Operand<TFloat32> bias,
            Operand<TFloat32> scale) {
        requireNonNull(xs, "xs is null");
        requireNonNull(bias, "bias is null");
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("biasSumConcatElu: expected at least one input, found none");
        }
        if (library != null) {
            return library.biasSumConcatElu(tf, xs, bias, scale);
        }
        Operand<TFloat32> z = tf.nn.biasAdd(xs.get(0), bias);
        for (int i = 1; i < xs.size(); i++) {
            z = tf.math.add(z, xs.get(i));
        }
        Operand<TFloat32> y = tf.nn.elu(tf.concat(List.of(z, tf.math.neg(z)), tf.constant(-1)));
        return scale == null ? y : tf.math.mul(y, scale);
    }

    /** {@code og + (y₁ + b₁)·σ(y₂ + b₂)}: {@code y₁, y₂} the first and second half of {@code y}'s channels. */
    public Operand<TFloat32> gate(Ops tf, Operand<TFloat32> og, Operand<TFloat32> y, Operand<TFloat32> bias) {
        requireNonNull(og, "og is null");
        requireNonNull(y, "y is null");
        requireNonNull(bias, "bias is null");
        if (library != null) {
            return library.gate(tf, og, y, bias);
        }
        var parts = tf.split(tf.constant(-1), tf.nn.biasAdd(y, bias), 2L).output();
        return tf.math.add(og, tf.math.mul(parts.get(0), tf.math.sigmoid(parts.get(1))));
    }

    /** {@link OpLibrary#convFilterGrad}; null in stock form (the caller builds {@code Conv2DBackpropFilter}). */
    public Operand<TFloat32> convFilterGrad(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel,
            Operand<TFloat32> dy, long[] pads) {
        return library == null ? null : library.convFilterGrad(tf, x, kernel, dy, pads);
    }

    /** {@link OpLibrary#patches}; null in stock form. */
    public Operand<TFloat32> patches(Ops tf, Operand<TFloat32> x, int kernel, int stride, int top, int left, int outH,
            int outW, int inH, int inW) {
        return library == null ? null : library.patches(tf, x, kernel, stride, top, left, outH, outW, inH, inW);
    }

    /** {@link OpLibrary#patchesGradient}; null in stock form. */
    public Operand<TFloat32> patchesGradient(Ops tf, Operand<TFloat32> dp, Operand<TFloat32> bias, String activation,
            int kernel, int stride, int top, int left, int outH, int outW, int inH, int inW) {
        return library == null ? null : library.patchesGradient(tf, dp, bias, activation, kernel, stride, top, left,
                outH, outW, inH, inW);
    }

    /** {@link OpLibrary#winogradInput}; null in stock form. */
    public Operand<TFloat32> winogradInput(Ops tf, Operand<TFloat32> x, int top, int left, int outH, int outW,
            int inH, int inW) {
        return library == null ? null : library.winogradInput(tf, x, top, left, outH, outW, inH, inW);
    }

    /** {@link OpLibrary#winogradOutput}; null in stock form. */
    public Operand<TFloat32> winogradOutput(Ops tf, Operand<TFloat32> m, Operand<TFloat32> bias, String activation,
            int top, int left, int outH, int outW, int inH, int inW) {
        return library == null ? null : library.winogradOutput(tf, m, bias, activation, top, left, outH, outW, inH,
                inW);
    }

    @Override
    public String toString() {
        return library == null ? "stock ops" : "op library (" + library.isa() + " loops)";
    }
}
