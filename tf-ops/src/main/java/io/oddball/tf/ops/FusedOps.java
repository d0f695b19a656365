package io.oddball.tf.ops;

import static java.util.Objects.requireNonNull;

import io.oddball.tf.kernels.OpLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Oddball's own TensorFlow op library: fused CPU kernels for PixelCNN++'s elementwise work and the autoencoders'
 * convolutions ({@code src/main/native/oddball_ops.cc}, built into this jar by {@code build.sh} when a C++ compiler
 * is present), the {@link OpLibrary} that {@link io.oddball.tf.kernels.Kernels} finds on the class path. Each op does
 * in one pass over memory what the stock graph does in three to five ops; their gradients are ops of the same
 * library, registered once per process.
 * <ul>
 *   <li>{@link #concatElu}: {@code concat(elu(x), elu(−x))} of {@code x = concat(xs)} along the channels
 *       (stock: ConcatV2, Neg, ConcatV2, Elu);</li>
 *   <li>{@link #biasSumConcatElu}: the same of {@code Σ xs + bias}, times channel-dropout scales if given (stock:
 *       BiasAdd, Add, Neg, ConcatV2, Elu, Mul);</li>
 *   <li>{@link #gate}: {@code og + (y₁ + b₁)·σ(y₂ + b₂)}, {@code [y₁, y₂]} the channel halves of {@code y}
 *       (stock: BiasAdd, Split, Sigmoid, Mul, Add);</li>
 *   <li>{@link #convFilterGrad}: the kernel gradient of a small stride-1 convolution, padding skipped rather than
 *       materialised (stock: Pad, Conv2DBackpropFilter);</li>
 *   <li>{@link #patches}: the patches of a strided convolution, and {@link #patchesGradient}, the sum of patch
 *       entries back into place (which also finishes a transposed convolution), for the autoencoders' training and
 *       float32 inference graphs (stock: Pad, SpaceToDepth, Slice, ConcatV2, DepthToSpace, Add and their
 *       gradients).</li>
 * </ul>
 * The library loads on Linux x86-64 where it is in the jar. Whether a graph uses it is the graph's
 * {@link io.oddball.tf.TfOptions}' choice: by default ({@code auto}) where it runs a build of its loops measured
 * faster than the stock ops ({@link #FASTER_ON}; bench/RESULTS.md). Graphs holding these ops need the library
 * loaded to run, so a model meant for other TensorFlow runtimes (a SavedModel) is built with the op library off.
 * The elementwise ops are built through {@link io.oddball.tf.kernels.Kernels}, which checks the arguments both forms
 * share.
 */
public final class FusedOps implements OpLibrary {
    /** Where the library lies in the jar. */
    public static final String RESOURCE = "/io/oddball/tf/ops/linux-x86_64/liboddball_ops.so";
    /**
     * The builds of the library's loops ({@link #isa()}) that were measured faster than TensorFlow's stock ops in
     * PixelCNN++, AE and VAE training and inference (bench/opslib.sh; bench/RESULTS.md, "The op library by CPU
     * class"): AVX-512, and AVX2 + FMA (measured as an AVX2 stand-in: an AVX-512 machine with oneDNN capped at AVX2).
     * The baseline build is not used by default.
     */
    public static final java.util.Set<String> FASTER_ON = java.util.Set.of("avx512", "avx2");

    private static final Logger LOG = LoggerFactory.getLogger(FusedOps.class);
    private static Boolean loaded;
    private static String why;
    private static String isa;

    /** The library (loaded on first use): for {@link java.util.ServiceLoader}. */
    public FusedOps() {
    }

    @Override
    public String unavailableReason() {
        synchronized (FusedOps.class) {
            load();
            return why;
        }
    }

    /**
     * The build of the library's loops this process runs: {@code avx512}, {@code avx2} (with FMA) or
     * {@code baseline}, from the CPU (the environment variable {@code ODDBALL_OPS_ISA} caps it, for tests standing in
     * for an older CPU); null if the library does not load.
     */
    @Override
    public String isa() {
        synchronized (FusedOps.class) {
            return load() ? isa : null;
        }
    }

    @Override
    public boolean fasterThanStockOps() {
        return FASTER_ON.contains(isa());
    }

    /** Loads the library and registers the gradients (once per process); false, the reason logged, if it cannot. */
    @Override
    public boolean load() {
        synchronized (FusedOps.class) {
            if (loaded != null) {
                return loaded;
            }
            loaded = false;
            String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
            String arch = System.getProperty("os.arch", "");
            URL url = FusedOps.class.getResource(RESOURCE);
            if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
                why = "no fused-op library for " + os + "/" + arch;
            } else if (url == null) {
                why = "the fused-op library " + RESOURCE + " is not in the class path (built without a C++ compiler?)";
            } else {
                try {
                    TensorFlow.loadLibrary(file(url).toString());
                    isa = probeIsa();
                    registerGradients();
                    loaded = true;
                    LOG.debug("fused ops loaded from {}, {} loops", url, isa);
                } catch (IOException | UnsatisfiedLinkError | RuntimeException e) {
                    why = "cannot load the fused-op library " + url + ": " + e.getMessage();
                }
            }
            if (!loaded && url != null && why.startsWith("cannot load")) {
                // built for this machine but refused by it (e.g. an older C library): worth a warning
                LOG.warn("{}; PixelCNN++ and the autoencoders run on TensorFlow's stock ops (slower)", why);
            } else if (!loaded) {
                LOG.info("{}; PixelCNN++ and the autoencoders run on TensorFlow's stock ops (slower)", why);
            } else if (!FASTER_ON.contains(isa)) {
                LOG.debug("fused ops: the {} build of the loops was not measured faster than the stock ops; used "
                        + "only where the options turn the op library on", isa);
            }
            return loaded;
        }
    }

    /** Runs the library's OddballOpsIsa op: 512, 256 or 128 bits. */
    private static String probeIsa() {
        try (org.tensorflow.Graph g = new org.tensorflow.Graph();
                org.tensorflow.Session s = new org.tensorflow.Session(g)) {
            Output<?> out = Ops.create(g).scope().opBuilder("OddballOpsIsa", "isa").build().output(0);
            try (org.tensorflow.Result r = s.runner().fetch(out).run()) {
                return switch (((org.tensorflow.types.TInt32) r.get(0)).getInt()) {
                    case 512 -> "avx512";
                    case 256 -> "avx2";
                    default -> "baseline";
                };
            }
        }
    }

    private static Path file(URL url) throws IOException {
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
        }
        Path tmp = Files.createTempFile("liboddball_ops", ".so");
        tmp.toFile().deleteOnExit();
        try (InputStream in = url.openStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        return tmp;
    }

    @Override
    public Operand<TFloat32> concatElu(Ops tf, List<Operand<TFloat32>> xs) {
        long[] channels = new long[xs.size()];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = lastDim(xs.get(i), "concatElu");
        }
        OperationBuilder b = tf.scope().opBuilder("OddballConcatElu", "OddballConcatElu");
        b.addInputList(outputs(xs));
        b.setAttr("channels", channels);
        return b.build().output(0);
    }

    /** The op of {@link OpLibrary#biasSumConcatElu}, dropout scales in the same pass. */
    @Override
    public Operand<TFloat32> biasSumConcatElu(Ops tf, List<Operand<TFloat32>> xs, Operand<TFloat32> bias,
            Operand<TFloat32> scale) {
        OperationBuilder b = tf.scope().opBuilder("OddballBiasSumConcatElu", "OddballBiasSumConcatElu");
        b.addInputList(outputs(xs));
        b.addInput(bias.asOutput());
        b.addInputList(scale == null ? new Output<?>[0] : new Output<?>[] {scale.asOutput()});
        return b.build().output(0);
    }

    @Override
    public Operand<TFloat32> gate(Ops tf, Operand<TFloat32> og, Operand<TFloat32> y, Operand<TFloat32> bias) {
        OperationBuilder b = tf.scope().opBuilder("OddballGate", "OddballGate");
        b.addInput(og.asOutput());
        b.addInput(y.asOutput());
        b.addInput(bias.asOutput());
        return b.build().output(0);
    }

    /**
     * The kernel gradient of a stride-1 convolution of {@code x} ({@code [B, H, W, C]}) zero-padded by {@code pads}
     * ({@code top, bottom, left, right}) with a kernel shaped like {@code kernel} ({@code [kh, kw, C, F]}), given the
     * output gradient {@code dy} ({@code [B, H + top + bottom − kh + 1, W + left + right − kw + 1, F]}).
     * The padding is skipped, not materialised; on this machine it runs at about twice the speed of oneDNN's kernel
     * at PixelCNN++'s shapes ({@code bench/RESULTS.md}).
     */
    @Override
    public Operand<TFloat32> convFilterGrad(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel,
            Operand<TFloat32> dy, long[] pads) {
        requireNonNull(pads, "pads is null");
        if (pads.length != 4) {
            throw new IllegalArgumentException("convFilterGrad: expected 4 paddings (top, bottom, left, right), found "
                    + pads.length);
        }
        OperationBuilder b = tf.scope().opBuilder("OddballConvFilterGrad", "OddballConvFilterGrad");
        b.addInput(requireNonNull(x, "x is null").asOutput());
        b.addInput(requireNonNull(kernel, "kernel is null").asOutput());
        b.addInput(requireNonNull(dy, "dy is null").asOutput());
        b.setAttr("pads", pads.clone());
        return b.build().output(0);
    }

    /**
     * The patches of a strided convolution (im2col): for {@code x} {@code [B, H, W, C]}, {@code [B, Ho, Wo, k·k·C]}
     * holding at output pixel {@code (oh, ow)} and channel {@code (ky, kx, c)} the input value at row
     * {@code oh·stride + ky − top} and column {@code ow·stride + kx − left}, zero outside the input. Its gradient
     * (col2im, a sum per input pixel in a fixed order) is an op of the same library. The output shape is only known
     * at run time, so reshape it.
     */
    @Override
    public Operand<TFloat32> patches(Ops tf, Operand<TFloat32> x, int kernel, int stride, int top, int left,
            int outH, int outW, int inH, int inW) {
        requireNonNull(x, "x is null");
        long[] geom = geometry(kernel, stride, top, left, outH, outW, inH, inW);
        return geomOp(tf, "OddballPatches", x.asOutput(), geom);
    }

    /**
     * The gradient of {@link #patches} with the same geometry (col2im): for {@code dp}
     * {@code [B, outH, outW, k·k·C]}, {@code [B, inH, inW, C]} holding at each pixel the sum of the patch entries that
     * copy it, in a fixed order. A strided transposed
     * convolution is this of its per-pixel products; its gradient is {@link #patches}.
     */
    public Operand<TFloat32> patchesGradient(Ops tf, Operand<TFloat32> dp, int kernel, int stride, int top,
            int left, int outH, int outW, int inH, int inW) {
        requireNonNull(dp, "dp is null");
        long[] geom = geometry(kernel, stride, top, left, outH, outW, inH, inW);
        return geomOp(tf, "OddballPatchesGrad", dp.asOutput(), geom);
    }

    /** Op {@code type} (OddballPatches or OddballPatchesGrad) of {@code input} with geometry {@code geom}. */
    private static Operand<TFloat32> geomOp(Ops tf, String type, Output<?> input, long[] geom) {
        OperationBuilder b = tf.scope().opBuilder(type, type);
        b.addInput(input);
        b.setAttr("geom", geom);
        return b.build().output(0);
    }

    /** The activations {@link #patchesGradient(Ops, Operand, Operand, String, int, int, int, int, int, int, int,
     * int)} applies, by their codes in the op. */
    private static final List<String> ACTIVATIONS = List.of("linear", "relu", "sigmoid", "elu");

    /**
     * {@code activation(patchesGradient(dp) + bias)} in one pass ({@code bias} {@code [C]}; activation
     * {@code linear}, {@code relu}, {@code sigmoid} or {@code elu}): the end of a transposed convolution. Its
     * gradient takes the activation's gradient from the output, then the patches of that and the bias gradient.
     */
    @Override
    public Operand<TFloat32> patchesGradient(Ops tf, Operand<TFloat32> dp, Operand<TFloat32> bias,
            String activation, int kernel, int stride, int top, int left, int outH, int outW, int inH, int inW) {
        requireNonNull(dp, "dp is null");
        return biasActOp(tf, "OddballPatchesGradBiasAct", "patchesGradient", dp, bias, activation,
                geometry(kernel, stride, top, left, outH, outW, inH, inW));
    }

    @Override
    public Operand<TFloat32> winogradInput(Ops tf, Operand<TFloat32> x, int top, int left, int outH, int outW,
            int inH, int inW) {
        requireNonNull(x, "x is null");
        return geomOp(tf, "OddballWinogradInput", x.asOutput(), geometry(4, 2, top, left, outH, outW, inH, inW));
    }

    @Override
    public Operand<TFloat32> winogradOutput(Ops tf, Operand<TFloat32> m, Operand<TFloat32> bias, String activation,
            int top, int left, int outH, int outW, int inH, int inW) {
        requireNonNull(m, "m is null");
        return biasActOp(tf, "OddballWinogradOutputBiasAct", "winogradOutput", m, bias, activation,
                geometry(4, 2, top, left, outH, outW, inH, inW));
    }

    /**
     * Op {@code type} of {@code input} and {@code bias} with geometry {@code geom} and the code of
     * {@code activation} ({@link #ACTIVATIONS}; {@code method} names the caller in the error).
     */
    private static Operand<TFloat32> biasActOp(Ops tf, String type, String method, Operand<TFloat32> input,
            Operand<TFloat32> bias, String activation, long[] geom) {
        requireNonNull(bias, "bias is null");
        int act = ACTIVATIONS.indexOf(activation);
        if (act < 0) {
            throw new IllegalArgumentException(method + ": expected an activation of " + ACTIVATIONS + ", found "
                    + activation);
        }
        OperationBuilder b = tf.scope().opBuilder(type, type);
        b.addInput(input.asOutput());
        b.addInput(bias.asOutput());
        b.setAttr("geom", geom);
        b.setAttr("act", new long[] {act});
        return b.build().output(0);
    }

    private static long[] geometry(int kernel, int stride, int top, int left, int outH, int outW, int inH,
            int inW) {
        if (kernel < 1 || stride < 1 || outH < 1 || outW < 1 || inH < 1 || inW < 1) {
            throw new IllegalArgumentException("patches: expected kernel, stride and sizes >= 1, found kernel "
                    + kernel + ", stride " + stride + ", output " + outH + "×" + outW + ", input " + inH + "×" + inW);
        }
        return new long[] {kernel, stride, top, left, outH, outW, inH, inW};
    }

    private static long lastDim(Operand<TFloat32> x, String op) {
        org.tensorflow.ndarray.Shape s = x.shape();
        long c = s.isUnknown() || s.numDimensions() < 1 ? -1 : s.get(s.numDimensions() - 1);
        if (c < 1) {
            throw new IllegalArgumentException(op + ": expected inputs with a known last dimension, found " + s);
        }
        return c;
    }

    private static Output<?>[] outputs(List<Operand<TFloat32>> xs) {
        Output<?>[] out = new Output<?>[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = requireNonNull(xs.get(i), "input " + i + " is null").asOutput();
        }
        return out;
    }

    // Gradient functions may not ask the graph for shapes (it is locked while gradients are added): what they need
    // is in the op's attributes and its input count.
    private static void registerGradients() {
        register("OddballConcatElu", (tf, op, grads) -> {
            Operand<TFloat32> dz = concatEluGrad(tf, op, grads, null);
            long[] channels = op.attributes().getAttrIntList("channels");
            if (channels.length == 1) {
                return List.of(dz);
            }
            List<Operand<?>> out = new ArrayList<>(tf.splitV(dz, tf.constant(channels), tf.constant(-1),
                    (long) channels.length).output());
            return out;
        });
        register("OddballBiasSumConcatElu", (tf, op, grads) -> {
            int n = (int) op.attributes().getAttrInt("N");
            Output<?> scale = op.attributes().getAttrInt("M") == 0 ? null : op.input(n + 1);
            Operand<TFloat32> dz = concatEluGrad(tf, op, grads, scale);
            List<Operand<?>> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(dz);
            }
            out.add(tf.nn.biasAddGrad(dz));
            if (scale != null) {
                // the dropout draw is no function of a weight: this gradient is never taken further
                out.add(tf.zerosLike(scale));
            }
            return out;
        });
        register("OddballPatches", (tf, op, grads) -> List.of(geomOp(tf, "OddballPatchesGrad", grads.get(0),
                op.attributes().getAttrIntList("geom"))));
        register("OddballPatchesGrad", (tf, op, grads) -> List.of(geomOp(tf, "OddballPatches", grads.get(0),
                op.attributes().getAttrIntList("geom"))));
        register("OddballPatchesGradBiasAct", (tf, op, grads) -> {
            Operand<TFloat32> y = op.<TFloat32>output(0);
            Operand<TFloat32> dy = grads.get(0).expect(TFloat32.class);
            Operand<TFloat32> dz = switch ((int) op.attributes().getAttrIntList("act")[0]) {
                case 1 -> tf.nn.reluGrad(dy, y);
                case 2 -> tf.math.sigmoidGrad(y, dy);
                case 3 -> tf.nn.eluGrad(dy, y);
                default -> dy;
            };
            return List.of(geomOp(tf, "OddballPatches", dz.asOutput(), op.attributes().getAttrIntList("geom")),
                    tf.nn.biasAddGrad(dz));
        });
        register("OddballGate", (tf, op, grads) -> {
            OperationBuilder b = tf.scope().opBuilder("OddballGateGrad", "OddballGateGrad");
            b.addInput(op.input(1));
            b.addInput(op.input(2));
            b.addInput(grads.get(0));
            Operand<TFloat32> dy = b.build().output(0);
            return List.of(grads.get(0), dy, tf.nn.biasAddGrad(dy));
        });
    }

    private static Operand<TFloat32> concatEluGrad(Ops tf, GraphOperation op, List<Output<?>> grads,
            Output<?> scale) {
        OperationBuilder b = tf.scope().opBuilder("OddballConcatEluGrad", "OddballConcatEluGrad");
        b.addInput(op.output(0));
        b.addInput(grads.get(0));
        b.addInputList(scale == null ? new Output<?>[0] : new Output<?>[] {scale});
        return b.build().output(0);
    }

    private static void register(String op, org.tensorflow.op.RawCustomGradient g) {
        if (!TensorFlow.registerCustomGradient(op, g)) {
            throw new IllegalStateException("TensorFlow refused the gradient of " + op);
        }
    }
}
