package io.oddball.tf;

import static java.util.Objects.requireNonNull;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * Graph-mode sessions configured the same way everywhere: intra- and inter-op thread pools sized to the available
 * cores and soft placement on, so a graph placed on a GPU runs on the CPU when there is none.
 */
public final class Sessions {
    private Sessions() {
    }

    /** The session configuration: {@code threads} intra-op and inter-op threads, soft placement. */
    public static ConfigProto config(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(threads)
                .setAllowSoftPlacement(true)
                .build();
    }

    /**
     * For graphs of independent branches made of many small ops (the two PixelCNN++ models of the LLR detector): one
     * intra-op thread and one inter-op thread per processor, so the branches run side by side, each op on one core
     * (measured 1.2× faster than two intra-op threads for one PixelCNN++ training step here, see bench/RESULTS.md).
     */
    public static ConfigProto branchParallelConfig() {
        return config().toBuilder().setIntraOpParallelismThreads(1).build();
    }

    /** {@link #config(int)} with as many threads as available processors. */
    public static ConfigProto config() {
        return config(Runtime.getRuntime().availableProcessors());
    }

    /**
     * The inference precision graphs are built for: the one {@code options} ask for, except that
     * {@code bfloat16} falls back to {@code float32} (said once in the log) on a CPU without AVX512_BF16 or AMX
     * ({@link Cpu#bfloat16()}), where oneDNN refuses it and TensorFlow's own bfloat16 kernels are slower than float32
     * (6.9 s against 5.3 s measured on an AVX2 machine).
     */
    public static TfOptions.Precision inferencePrecision(TfOptions options) {
        return inferencePrecision(options.precision(), Cpu.current());
    }

    /** The precision {@code requested} runs at on {@code cpu}. */
    static TfOptions.Precision inferencePrecision(TfOptions.Precision requested, Cpu cpu) {
        if (requested == TfOptions.Precision.BFLOAT16 && !cpu.bfloat16()) {
            if (!FELL_BACK.getAndSet(true)) {
                LOG.warn("bfloat16 inference needs a CPU with AVX512_BF16 or AMX, and this one has neither ({}): "
                        + "scoring in float32", cpu);
            }
            return TfOptions.Precision.FLOAT32;
        }
        return requested;
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Sessions.class);
    private static final java.util.concurrent.atomic.AtomicBoolean FELL_BACK =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * The configuration of inference sessions (the saved models of neural detectors): {@link #config()}, and with
     * {@code bfloat16} precision ({@link #inferencePrecision}) TensorFlow's oneDNN bfloat16 auto-mixed-precision
     * rewrite, which runs convolutions and matrix products in bfloat16 on CPUs that have it (AVX512_BF16, AMX), about
     * twice as fast here; scores then agree with float32 only approximately (see bench/RESULTS.md). KNN and training
     * never use it.
     */
    public static ConfigProto inferenceConfig(TfOptions options) {
        ConfigProto base = config();
        if (inferencePrecision(options) != TfOptions.Precision.BFLOAT16) {
            return base;
        }
        return base.toBuilder().setGraphOptions(org.tensorflow.proto.GraphOptions.newBuilder().setRewriteOptions(
                org.tensorflow.proto.RewriterConfig.newBuilder().setAutoMixedPrecisionOnednnBfloat16(
                        org.tensorflow.proto.RewriterConfig.Toggle.ON))).build();
    }

    /** A new session on {@code graph} with {@link #config()}; the caller closes it (before the graph). */
    public static Session open(Graph graph) {
        requireNonNull(graph, "graph is null");
        return new Session(graph, config());
    }
}
