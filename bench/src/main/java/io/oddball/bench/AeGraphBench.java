package io.oddball.bench;

import io.oddball.api.data.Shape;
import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import io.oddball.tf.autoencoder.Architecture;
import io.oddball.tf.autoencoder.EncoderDecoder;
import io.oddball.tf.autoencoder.NetworkSpec;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.Weights;
import io.oddball.tf.train.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * Variants of the bare {@code alibi-cifar10} autoencoder graph (no detector around it) timed in one JVM, their runs
 * interleaved round by round so that every variant sees the same minute of a machine whose speed drifts: each
 * variant is the TensorFlow settings its graph is built with ({@link Variant}: {@code tf.conv=direct},
 * {@code tf.transposedConv=backprop}, {@code tf.dense=plain}, {@code tf.opLibrary=off}; {@code -} for none). With
 * {@code --trace} it also prints, per variant, the op time by op type of traced runs (TensorFlow step stats, summed
 * over both threads, so larger than the wall time), to see where a step goes; {@code -DtraceByName=true} prints it
 * per node instead, {@code -Dinter=1} runs one op at a time (op times then add up to the wall time).
 *
 * <pre>
 * java -cp ... io.oddball.bench.AeGraphBench infer|train [--rounds 20] [--batch 256|64] [--trace] VARIANT...
 *   e.g. AeGraphBench train - tf.conv=direct,tf.transposedConv=backprop
 * </pre>
 */
public final class AeGraphBench {
    /**
     * {@code -DtraceByName=true}: the trace per node (type and name; the 40 largest, or {@code -DtraceTop=N}) rather
     * than per op type.
     */
    private static final boolean BY_NAME = Boolean.getBoolean("traceByName");
    private static final int TOP = Integer.getInteger("traceTop", 40);

    private AeGraphBench() {
    }

    /** A variant's graph, session and ops. */
    private record Built(String name, Graph graph, Session session, Placeholder<TFloat32> input,
            Operand<TFloat32> out, Adam adam, Map<String, String> opTypes) {
    }

    /** Entry point; see the class comment for arguments. */
    public static void main(String[] args) {
        boolean train = args[0].equals("train");
        int rounds = 20;
        boolean trace = false;
        int batch = train ? 64 : 256;
        List<String> names = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--batch")) {
                batch = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--trace")) {
                trace = true;
            } else {
                names.add(args[i]);
            }
        }
        EncoderDecoder net = EncoderDecoder.of(NetworkSpec.defaults(Architecture.ALIBI_CIFAR10), Shape.of(32, 32, 3),
                "ae");
        List<Built> variants = new ArrayList<>();
        for (String name : names) {
            variants.add(build(name, net, train));
        }
        Random r = new Random(1);
        float[] x = new float[batch * 3072];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        double[][] ms = new double[variants.size()][rounds];
        List<Map<String, Double>> byType = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            byType.add(new TreeMap<>());
        }
        int traced = trace ? 4 : 0;
        for (int round = -3; round < rounds + traced; round++) {
            for (int v = 0; v < variants.size(); v++) {
                boolean tracing = round >= rounds;
                long t0 = System.nanoTime();
                run(variants.get(v), x, batch, train, tracing ? byType.get(v) : null);
                if (round >= 0 && !tracing) {
                    ms[v][round] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        for (int v = 0; v < variants.size(); v++) {
            double[] t = ms[v];
            Arrays.sort(t);
            double med = t[t.length / 2];
            double gflops = (train ? 3 : 1) * Flops.forward(net) * batch / med / 1e6;
            System.out.printf(Locale.ROOT, "%s %-60s median %.1f ms (p25 %.1f, p75 %.1f), %.0f GFLOP/s%s%n",
                    (train ? "train b" : "infer b") + batch, variants.get(v).name(), med, t[t.length / 4],
                    t[3 * t.length / 4], gflops, train ? "" : String.format(Locale.ROOT, ", %.0f images/s",
                            batch / med * 1000));
            if (trace) {
                byType.get(v).entrySet().stream().sorted((p, q) -> Double.compare(q.getValue(), p.getValue()))
                        .limit(BY_NAME ? TOP : 12).forEach(e -> System.out.printf(Locale.ROOT, "    %-40s %7.2f ms%n",
                                e.getKey(), e.getValue() / traced / 1000));
            }
        }
        for (Built v : variants) {
            v.session().close();
            v.graph().close();
        }
    }

    private static Built build(String name, EncoderDecoder net, boolean train) {
        Variant variant = Variant.parse(name, java.util.Set.of());
        Graph g = new Graph();
        try {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
            Operand<TFloat32> xi = tf.reshape(in, tf.constant(new long[] {-1, 32, 32, 3}));
            ModelVariables created = ModelVariables.create(tf, "ae", net.weights());
            ModelVariables vars = train ? created.forTraining() : created;
            Operand<TFloat32> xhat = net.reconstruction(tf, xi, vars, variant.options());
            Operand<TFloat32> inst = tf.math.mean(tf.math.squaredDifference(xhat, xi), tf.constant(new int[] {1, 2,
                3}));
            Operand<TFloat32> loss = tf.math.mean(inst, tf.constant(0));
            Adam adam = train ? new Adam(tf, loss, vars) : null;
            org.tensorflow.proto.ConfigProto cfg = Sessions.config();
            if (System.getProperty("inter") != null) {
                // -Dinter=1: one op at a time, so that a trace's op times add up to the wall time
                cfg = cfg.toBuilder().setInterOpParallelismThreads(Integer.getInteger("inter")).build();
            }
            Session s = new Session(g, cfg);
            vars.assign(s, Weights.initial(net.weights(), 1));
            if (train) {
                adam.reset(s);
            }
            Map<String, String> types = new java.util.HashMap<>();
            for (Iterator<GraphOperation> it = g.operations(); it.hasNext();) {
                GraphOperation op = it.next();
                boolean shaped = BY_NAME && op.numOutputs() > 0;
                types.put(op.name(), shaped ? op.type() + " " + op.output(0).shape() : op.type());
            }
            return new Built(name, g, s, in, train ? loss : inst, adam, types);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** The kernel of a node a graph rewrite added, from its timeline label {@code "[dev] name = Kernel(args)"}. */
    private static String kernelOf(String label) {
        int eq = label.indexOf(" = ");
        int paren = eq < 0 ? -1 : label.indexOf('(', eq);
        return paren < 0 ? label : label.substring(eq + 3, paren) + " (rewritten)";
    }

    private static void run(Built v, float[] x, int batch, boolean train, Map<String, Double> byType) {
        try (TFloat32 t = Tensors.floats(x, batch, 3072)) {
            Session.Runner runner = v.session().runner().feed(v.input(), t).fetch(v.out());
            // learning rate 0: every step of every variant starts from the same weights
            List<TFloat32> feeds = train ? v.adam().addStep(runner, 0.0) : List.of();
            if (byType != null) {
                runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
            }
            try (Result res = byType != null ? runner.runAndFetchMetadata() : runner.run()) {
                if (byType != null) {
                    for (DeviceStepStats d : res.getMetadata().orElseThrow().getStepStats().getDevStatsList()) {
                        for (NodeExecStats n : d.getNodeStatsList()) {
                            String type = v.opTypes().getOrDefault(n.getNodeName(),
                                    kernelOf(n.getTimelineLabel()));
                            byType.merge(BY_NAME ? type + " " + n.getNodeName() : type,
                                    (double) n.getAllEndRelMicros(), Double::sum);
                        }
                    }
                }
            } finally {
                feeds.forEach(TFloat32::close);
            }
        }
    }
}
