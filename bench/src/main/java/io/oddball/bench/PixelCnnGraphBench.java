package io.oddball.bench;

import io.oddball.api.data.Shape;
import io.oddball.detector.llr.pixelcnn.PixelCnn;
import io.oddball.detector.llr.pixelcnn.PixelCnnSpec;
import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.Weights;
import io.oddball.tf.train.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Variants of the PixelCNN++ graph of {@code bench/pixelcnn.sh} (2 hierarchies × 2 gated resnets, 32 filters, 5
 * logistic components, dropout 0.5, 28×28×1) timed in one JVM, their runs interleaved round by round so that every
 * variant sees the same minute of a machine whose speed drifts. Each variant is the TensorFlow settings its graph is
 * built with ({@link Variant}: for example {@code tf.spatialConv=conv2d} or {@code tf.opLibrary=off}) and the flag
 * {@code branchParallel}: the session of {@code Sessions.branchParallelConfig()}, which LLR training uses; {@code -}
 * for none.
 *
 * <pre>
 * java -cp ... io.oddball.bench.PixelCnnGraphBench train|infer [--batch 32] [--rounds 15] VARIANT...
 *   e.g. PixelCnnGraphBench train - tf.spatialConv=conv2d
 * </pre>
 */
public final class PixelCnnGraphBench {
    /** Variant flag: the session runs one intra-op and two inter-op threads (LLR training's configuration). */
    private static final String BRANCH_PARALLEL = "branchParallel";

    private PixelCnnGraphBench() {
    }

    /** A variant's graph, session and ops. */
    private record Built(String name, Graph graph, Session session, Placeholder<TFloat32> input,
            Operand<TFloat32> out, Adam adam) {
    }

    /** Entry point; see the class comment for arguments. */
    public static void main(String[] args) {
        boolean train = args[0].equals("train");
        int batch = 32;
        int rounds = 15;
        List<String> names = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> names.add(args[i]);
            }
        }
        PixelCnn net = new PixelCnn(new PixelCnnSpec(2, 2, 32, 3, 3, 5, 0.5), Shape.of(28, 28, 1));
        Random r = new Random(0);
        float[] x = new float[batch * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(256) / 127.5f - 1f;
        }
        List<Built> variants = new ArrayList<>();
        for (String n : names) {
            variants.add(build(n, net, train));
        }
        double[][] ms = new double[variants.size()][rounds];
        try {
            for (int round = -2; round < rounds; round++) {
                for (int v = 0; v < variants.size(); v++) {
                    long t0 = System.nanoTime();
                    run(variants.get(v), x, batch, train);
                    if (round >= 0) {
                        ms[v][round] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
        } finally {
            variants.forEach(v -> {
                v.session().close();
                v.graph().close();
            });
        }
        System.out.printf(Locale.ROOT, "PixelCNN++ %s, batch %d, %d interleaved rounds (median, images/s)%n",
                train ? "training step" : "log-probabilities", batch, rounds);
        for (int v = 0; v < variants.size(); v++) {
            double[] c = ms[v].clone();
            Arrays.sort(c);
            double med = c[c.length / 2];
            System.out.printf(Locale.ROOT, "%8.1f ms %8.1f img/s  %s%n", med, batch / med * 1000,
                    variants.get(v).name());
        }
        System.out.println("rerun: java -cp ... io.oddball.bench.PixelCnnGraphBench " + String.join(" ", args));
    }

    private static Built build(String name, PixelCnn net, boolean train) {
        Variant variant = Variant.parse(name, java.util.Set.of(BRANCH_PARALLEL));
        Graph g = new Graph();
        try {
            Ops tf = Ops.create(g);
            ModelVariables vars = ModelVariables.create(tf, "m", net.weights());
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(
                    org.tensorflow.ndarray.Shape.of(-1, 28, 28, 1)));
            Operand<TFloat32> out;
            Adam adam = null;
            if (train) {
                Operand<TFloat32> lp = net.logProb(tf, variant.options(), vars::value, in, tf.constant(0.5f), 1);
                out = tf.math.neg(tf.math.mean(lp, tf.constant(new int[] {0, 1, 2, 3})));
                adam = new Adam(tf, out, vars);
            } else {
                out = tf.reduceSum(net.logProb(tf, variant.options(), vars::value, in, null, 0), tf.constant(new int[] {1, 2, 3}));
            }
            Session s = new Session(g, variant.has(BRANCH_PARALLEL) ? Sessions.branchParallelConfig()
                    : Sessions.config());
            vars.assign(s, Weights.initial(net.weights(), 0));
            if (adam != null) {
                adam.reset(s);
            }
            return new Built(name, g, s, in, out, adam);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    private static void run(Built v, float[] x, int batch, boolean train) {
        try (TFloat32 t = Tensors.floats(x, batch, 28, 28, 1)) {
            Session.Runner run = v.session().runner().feed(v.input(), t).fetch(v.out());
            List<TFloat32> feeds = v.adam() == null ? List.of() : v.adam().addStep(run, 1e-3);
            try (Result res = run.run()) {
                Tensors.toFloats(Tensors.get(res, 0, TFloat32.class));
            } finally {
                feeds.forEach(TFloat32::close);
            }
        }
    }
}
