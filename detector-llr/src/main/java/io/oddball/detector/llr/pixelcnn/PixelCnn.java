package io.oddball.detector.llr.pixelcnn;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.tf.TfOptions;
import io.oddball.tf.kernels.Kernels;
import io.oddball.tf.layers.Initializer;
import io.oddball.tf.layers.SpatialConv;
import io.oddball.tf.layers.WeightSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * PixelCNN++ (Salimans et al. 2017) as a TensorFlow graph, structured as pclucas14/pixel-cnn-pp (the PyTorch port the
 * peer benchmark uses): a down-shifted vertical stream {@code u} and a down-right-shifted horizontal stream
 * {@code ul}, {@link PixelCnnSpec#numResnet()} gated residual blocks per hierarchy (concat-ELU, channel dropout, a gate
 * {@code a · σ(b)}), stride-2 down-sampling between hierarchies on the way up and transposed convolutions on the way
 * down, with skip connections from every up block to the matching down block; a 1×1 convolution of {@code elu(ul)}
 * gives the {@link DiscretizedLogistic} parameters. Pixel {@code (i, j)}'s parameters depend only on pixels before it
 * in raster order. Weight normalisation is left out (plain convolutions, Glorot-uniform kernels, zero biases).
 *
 * <p>The input is {@code [B, H, W, C]} in {@code [-1, 1]} (8-bit values {@code v / 127.5 − 1}); a channel of ones is
 * appended so the zero padding of the borders is distinguishable from black pixels.
 *
 * <p>A graph is built as its {@link TfOptions} say: the convolutions as {@link SpatialConv} builds them (TensorFlow's
 * generic {@code Conv} op, or {@code Conv2D} with {@code tf.spatialConv=conv2d}), the elementwise work between them
 * as {@link Kernels} of Oddball's op library or TensorFlow's stock ops.
 */
public final class PixelCnn {
    private final PixelCnnSpec spec;
    private final Shape instance;
    private final List<WeightSpec> weights;

    /** The network of {@code spec} for instances {@code H×W×C} (or {@code H×W}, one channel). */
    public PixelCnn(PixelCnnSpec spec, Shape instance) {
        this.spec = requireNonNull(spec, "spec is null");
        this.instance = image(requireNonNull(instance, "instance is null"));
        int most = maxHierarchies(this.instance);
        if (spec.numHierarchies() > most) {
            throw new ConfigException("pixelcnn: numHierarchies: expected at most " + most + " for instances of "
                    + instance + " (each hierarchy after the first halves an even height and width), found "
                    + spec.numHierarchies());
        }
        this.weights = record();
    }

    /** Most hierarchies an image of {@code image} ({@code H×W×C}) takes: one, then one per halving of both sides. */
    static int maxHierarchies(Shape image) {
        int h = image.dim(0);
        int w = image.dim(1);
        int n = 1;
        while (h % 2 == 0 && w % 2 == 0 && h > 1 && w > 1) {
            h /= 2;
            w /= 2;
            n++;
        }
        return n;
    }

    /** Instances as {@code H×W×C}: an {@code H×W} shape gains one channel. */
    public static Shape image(Shape s) {
        if (s.rank() == 2) {
            return Shape.of(s.dim(0), s.dim(1), 1);
        }
        if (s.rank() != 3) {
            throw new IllegalArgumentException("pixelcnn: expected image instances H×W×C or H×W, found " + s);
        }
        return s;
    }

    /** The hyper-parameters. */
    public PixelCnnSpec spec() {
        return spec;
    }

    /** The instance shape {@code H×W×C}. */
    public Shape instance() {
        return instance;
    }

    /** Channels of the output: {@code 3 · numLogisticMix} per input channel. */
    public int outputChannels() {
        return 3 * spec.numLogisticMix() * instance.dim(2);
    }

    /** Every weight, in a fixed order. */
    public List<WeightSpec> weights() {
        return weights;
    }

    /**
     * The mixture parameters {@code [B, H, W, C·3K]} of {@code x} ({@code [B, H, W, C]} in {@code [-1, 1]}), built as
     * {@code options} say.
     *
     * @param values the value of each weight by name
     * @param keep keep-probability of dropout ({@code null}: no dropout ops at all; fed 1 − dropout while training)
     * @param seed seed of the dropout masks
     */
    public Operand<TFloat32> params(Ops tf, TfOptions options, Function<String, Operand<TFloat32>> values,
            Operand<TFloat32> x, Operand<TFloat32> keep, long seed) {
        requireNonNull(values, "values is null");
        return new Builder(tf, options, (name, shape, init) -> values.apply(name), keep, seed).network(x);
    }

    /** Log-probabilities {@code [B, H, W, C]} of each value of {@code x} in {@code [-1, 1]} (see {@link #params}). */
    public Operand<TFloat32> logProb(Ops tf, TfOptions options, Function<String, Operand<TFloat32>> values,
            Operand<TFloat32> x, Operand<TFloat32> keep, long seed) {
        return DiscretizedLogistic.logProb(tf, x, params(tf, options, values, x, keep, seed), spec.numLogisticMix(),
                instance.dim(2));
    }

    private List<WeightSpec> record() {
        Map<String, WeightSpec> seen = new LinkedHashMap<>();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            WeightSource recorder = (name, shape, init) -> {
                if (seen.put(name, new WeightSpec(name, shape, init)) != null) {
                    throw new IllegalStateException("pixelcnn: duplicate weight " + name);
                }
                long[] dims = new long[shape.rank()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = shape.dim(i);
                }
                return tf.zeros(tf.constant(dims), TFloat32.class);
            };
            Operand<TFloat32> x = tf.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(
                    org.tensorflow.ndarray.Shape.of(-1, instance.dim(0), instance.dim(1), instance.dim(2))));
            // only the weights' names and shapes matter here: TensorFlow's stock ops, no library to load
            new Builder(tf, TfOptions.defaults().withOpLibrary(TfOptions.OpLibraryUse.OFF), recorder, null, 0)
                    .network(x);
        }
        return List.copyOf(seen.values());
    }

    @FunctionalInterface
    private interface WeightSource {
        Operand<TFloat32> get(String name, Shape shape, Initializer init);
    }

    /** Builds one forward pass; weight names follow the call order, so recording and building agree. */
    private final class Builder {
        private final Ops tf;
        private final TfOptions options;
        private final Kernels kernels;
        private final WeightSource source;
        private final Operand<TFloat32> keep;
        private final long seed;
        private int dropouts;

        Builder(Ops tf, TfOptions options, WeightSource source, Operand<TFloat32> keep, long seed) {
            this.tf = tf;
            this.options = requireNonNull(options, "options is null");
            this.kernels = Kernels.of(options);
            this.source = source;
            this.keep = keep;
            this.seed = seed;
        }

        Operand<TFloat32> network(Operand<TFloat32> x) {
            int nf = spec.numFilters();
            int cin = instance.dim(2) + 1;
            int[] vk = spec.verticalKernel();
            int[] hk = spec.horizontalKernel();
            Operand<TFloat32> ones = tf.onesLike(tf.slice(x, tf.constant(new int[] {0, 0, 0, 0}),
                    tf.constant(new int[] {-1, -1, -1, 1})));
            Operand<TFloat32> in = tf.concat(List.of(x, ones), tf.constant(3));
            Deque<Operand<TFloat32>> uList = new ArrayDeque<>();
            Deque<Operand<TFloat32>> ulList = new ArrayDeque<>();
            uList.push(downShift(downConv("u_init", in, cin, nf, vk, 1)));
            ulList.push(tf.math.add(downShift(downConv("ul_init0", in, cin, nf, new int[] {1, vk[1]}, 1)),
                    rightShift(downRightConv("ul_init1", in, cin, nf, new int[] {hk[0], 1}, 1))));
            int stages = spec.numHierarchies();
            for (int s = 0; s < stages; s++) {
                Operand<TFloat32> u = uList.peek();
                Operand<TFloat32> ul = ulList.peek();
                for (int i = 0; i < spec.numResnet(); i++) {
                    String b = "up" + s + "_" + i;
                    u = gated(b + "_u", u, null, 0, true);
                    ul = gated(b + "_ul", ul, List.of(u), 1, false);
                    uList.push(u);
                    ulList.push(ul);
                }
                if (s != stages - 1) {
                    uList.push(downConv("down" + s + "_u", uList.peek(), nf, nf, vk, 2));
                    ulList.push(downRightConv("down" + s + "_ul", ulList.peek(), nf, nf, hk, 2));
                }
            }
            Operand<TFloat32> u = uList.pop();
            Operand<TFloat32> ul = ulList.pop();
            for (int s = 0; s < stages; s++) {
                int blocks = s == 0 ? spec.numResnet() : spec.numResnet() + 1;
                for (int i = 0; i < blocks; i++) {
                    String b = "dn" + s + "_" + i;
                    u = gated(b + "_u", u, List.of(uList.pop()), 1, true);
                    ul = gated(b + "_ul", ul, List.of(u, ulList.pop()), 2, false);
                }
                if (s != stages - 1) {
                    u = downDeconv("upsize" + s + "_u", u, nf, vk);
                    ul = downRightDeconv("upsize" + s + "_ul", ul, nf, hk);
                }
            }
            if (!uList.isEmpty() || !ulList.isEmpty()) {
                throw new IllegalStateException("pixelcnn: unbalanced skip connections");
            }
            return conv1x1("out", tf.nn.elu(ul), nf, outputChannels());
        }

        /**
         * A gated residual block on {@code og}, with skip inputs {@code a} (null: none; two: concatenated), as
         * pixel-cnn-pp: {@code c = conv(ce(og)) [+ nin(ce(a))]; y = conv(dropout(ce(c))); og + y₁·σ(y₂)}, ce the
         * concat-ELU. BiasAdds, the skip Add, concat-ELU with dropout and the gate are one op each of the op library
         * where the options use it ({@link Kernels}).
         */
        private Operand<TFloat32> gated(String name, Operand<TFloat32> og, List<Operand<TFloat32>> a, int skip,
                boolean vertical) {
            int nf = spec.numFilters();
            Biased in = shifted(name + "_in", kernels.concatElu(tf, List.of(og)), 2 * nf, nf, vertical);
            List<Operand<TFloat32>> sum = new ArrayList<>(List.of(in.conv()));
            Operand<TFloat32> bias = in.bias();
            if (a != null) {
                Biased s = biased(name + "_skip", kernels.concatElu(tf, a), new int[4], 2 * skip * nf, nf,
                        new int[] {1, 1}, 1);
                sum.add(s.conv());
                bias = tf.math.add(bias, s.bias());
            }
            Operand<TFloat32> h = kernels.biasSumConcatElu(tf, sum, bias, dropoutScale(og, 2 * nf));
            Biased out = shifted(name + "_out", h, 2 * nf, 2 * nf, vertical);
            return kernels.gate(tf, og, out.conv(), out.bias());
        }

        /** The stride-1 down-shifted (vertical) or down-right-shifted convolution of a block, bias apart. */
        private Biased shifted(String name, Operand<TFloat32> x, int cin, int cout, boolean vertical) {
            int[] k = vertical ? spec.verticalKernel() : spec.horizontalKernel();
            int[] pad = vertical ? new int[] {k[0] - 1, 0, (k[1] - 1) / 2, (k[1] - 1) / 2}
                    : new int[] {k[0] - 1, 0, k[1] - 1, 0};
            return biased(name, x, pad, cin, cout, k, 1);
        }

        /**
         * Channel dropout (PyTorch's Dropout2d, as pixel-cnn-pp's port): the {@code [B, 1, 1, channels]} factors
         * {@code mask / keep}, one draw per instance and channel, for instances shaped like {@code like}; null
         * without dropout.
         */
        private Operand<TFloat32> dropoutScale(Operand<TFloat32> like, int channels) {
            if (keep == null || spec.dropout() == 0) {
                return null;
            }
            Operand<TInt32> noiseShape = tf.concat(List.of(tf.slice(tf.shape(like), tf.constant(new int[] {0}),
                    tf.constant(new int[] {1})), tf.constant(new int[] {1, 1, channels})), tf.constant(0));
            Operand<TFloat32> u = tf.random.randomUniform(noiseShape, TFloat32.class,
                    RandomUniform.seed(seed), RandomUniform.seed2(1000L + dropouts++));
            return tf.math.div(tf.math.floor(tf.math.add(keep, u)), keep);
        }

        /** Down-shifted convolution: zero-pad kh−1 rows on top and (kw−1)/2 columns each side. */
        private Operand<TFloat32> downConv(String name, Operand<TFloat32> x, int cin, int cout, int[] k, int stride) {
            int side = (k[1] - 1) / 2;
            return conv(name, x, new int[] {k[0] - 1, 0, side, side}, cin, cout, k, stride);
        }

        /** Down-right-shifted convolution: zero-pad kh−1 rows on top and kw−1 columns on the left. */
        private Operand<TFloat32> downRightConv(String name, Operand<TFloat32> x, int cin, int cout, int[] k,
                int stride) {
            return conv(name, x, new int[] {k[0] - 1, 0, k[1] - 1, 0}, cin, cout, k, stride);
        }

        /** {@code x} zero-padded by {@code pad = {top, bottom, left, right}}, convolved VALID, plus a bias. */
        private Operand<TFloat32> conv(String name, Operand<TFloat32> x, int[] pad, int cin, int cout, int[] k,
                int stride) {
            Biased b = biased(name, x, pad, cin, cout, k, stride);
            return tf.nn.biasAdd(b.conv(), b.bias());
        }

        /** The convolution of {@link #conv} and its bias, not yet added (weights made in the same order). */
        private Biased biased(String name, Operand<TFloat32> x, int[] pad, int cin, int cout, int[] k, int stride) {
            Operand<TFloat32> kernel = source.get(name + "_kernel", Shape.of(k[0], k[1], cin, cout),
                    Initializer.glorotUniform());
            Operand<TFloat32> bias = source.get(name + "_bias", Shape.of(cout), Initializer.zeros());
            return new Biased(SpatialConv.conv(tf, options, name + "_conv", x, kernel, k[0], k[1], stride, pad), bias);
        }

        private Operand<TFloat32> conv1x1(String name, Operand<TFloat32> x, int cin, int cout) {
            return conv(name, x, new int[4], cin, cout, new int[] {1, 1}, 1);
        }

        /** Stride-2 transposed down-shifted convolution to twice the size, cropped as pixel-cnn-pp. */
        private Operand<TFloat32> downDeconv(String name, Operand<TFloat32> x, int nf, int[] k) {
            return deconv(name, x, nf, k, (k[1] - 1) / 2);
        }

        /** Stride-2 transposed down-right-shifted convolution to twice the size. */
        private Operand<TFloat32> downRightDeconv(String name, Operand<TFloat32> x, int nf, int[] k) {
            return deconv(name, x, nf, k, 0);
        }

        /**
         * VALID stride-2 transposed convolution of an H×W input (output {@code [2H + kh − 2, 2W + kw − 2]}), keeping
         * the first 2H rows and 2W columns from column {@code left}.
         */
        private Operand<TFloat32> deconv(String name, Operand<TFloat32> x, int nf, int[] k, int left) {
            Operand<TFloat32> kernel = source.get(name + "_kernel", Shape.of(k[0], k[1], nf, nf),
                    Initializer.glorotUniform());
            Operand<TFloat32> bias = source.get(name + "_bias", Shape.of(nf), Initializer.zeros());
            int h = (int) x.shape().get(1);
            int w = (int) x.shape().get(2);
            Operand<TInt32> b = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
            Operand<TInt32> outShape = tf.concat(List.of(b, tf.constant(new int[] {2 * h + Math.max(k[0] - 2, 0),
                    2 * w + Math.max(k[1] - 2, 0), nf})), tf.constant(0));
            Operand<TFloat32> y = tf.nn.conv2dBackpropInput(outShape, kernel, x, List.of(1L, 2L, 2L, 1L), "VALID");
            y = tf.slice(y, tf.constant(new int[] {0, 0, left, 0}), tf.constant(new int[] {-1, 2 * h, 2 * w, -1}));
            return tf.nn.biasAdd(y, bias);
        }

        private Operand<TFloat32> pad(Operand<TFloat32> x, int top, int bottom, int left, int right) {
            return tf.pad(x, tf.constant(new int[][] {{0, 0}, {top, bottom}, {left, right}, {0, 0}}),
                    tf.constant(0f));
        }

        /** Shifts down one row: a zero row on top, the last row dropped. */
        private Operand<TFloat32> downShift(Operand<TFloat32> x) {
            Operand<TFloat32> p = pad(x, 1, 0, 0, 0);
            return tf.slice(p, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1,
                    (int) x.shape().get(1), -1, -1}));
        }

        /** Shifts right one column: a zero column on the left, the last column dropped. */
        private Operand<TFloat32> rightShift(Operand<TFloat32> x) {
            Operand<TFloat32> p = pad(x, 0, 0, 1, 0);
            return tf.slice(p, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1, -1,
                    (int) x.shape().get(2), -1}));
        }
    }

    /** A convolution and the bias still to be added to it. */
    private record Biased(Operand<TFloat32> conv, Operand<TFloat32> bias) {
    }

    /** Number of parameters. */
    public long parameterCount() {
        long n = 0;
        for (WeightSpec w : weights) {
            n += w.shape().size();
        }
        return n;
    }

    /** Helper for callers that build on a map of named operands. */
    public static Function<String, Operand<TFloat32>> lookup(Map<String, Operand<TFloat32>> map) {
        return name -> {
            Operand<TFloat32> v = map.get(name);
            if (v == null) {
                throw new IllegalArgumentException("pixelcnn: no weight named " + name);
            }
            return v;
        };
    }

    static List<String> names(List<WeightSpec> specs) {
        List<String> out = new ArrayList<>();
        specs.forEach(s -> out.add(s.name()));
        return out;
    }
}
