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

    /** {@link #config(int)} with as many threads as available processors. */
    public static ConfigProto config() {
        return config(Runtime.getRuntime().availableProcessors());
    }

    /** A new session on {@code graph} with {@link #config()}; the caller closes it (before the graph). */
    public static Session open(Graph graph) {
        requireNonNull(graph, "graph is null");
        return new Session(graph, config());
    }
}
