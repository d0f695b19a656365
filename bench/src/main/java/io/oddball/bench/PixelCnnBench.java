package io.oddball.bench;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Shape;
import io.oddball.detector.llr.pixelcnn.PixelCnn;
import io.oddball.detector.llr.pixelcnn.PixelCnnSpec;
import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import io.oddball.tf.TfOptions;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.Weights;
import io.oddball.tf.train.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * PixelCNN++ speed of one model, as the PyTorch peer ({@code bench/peers/pixelcnn_peer.py}) measures it: training
 * step (forward, discretised-logistic log-likelihood in bits/dim, backward, Adam 1e-3) at batch 32, median of
 * {@code --steps} (30) after 5 warm-up steps; log-probability images per second at {@code --inferBatch}, median of 10
 * after 2 — the peer's own counts ({@code bench_common.py}). Random 8-bit 28×28×1 images. The graph is built with
 * the environment's TensorFlow settings ({@code ODDBALL_OPS=off}: the stock ops).
 *
 * <pre>
 * java -cp ... io.oddball.bench.PixelCnnBench [--stages 2] [--resnet 2] [--filters 32] [--mix 5] [--dropout 0.5]
 *     [--trainBatch 32] [--inferBatch 256] [--steps 30]
 * </pre>
 */
public final class PixelCnnBench {
    private PixelCnnBench() {
    }

    public static void main(String[] args) {
        Args a = Args.parse(args);
        int stages = a.getInt("stages", 2);
        int resnet = a.getInt("resnet", 2);
        int filters = a.getInt("filters", 32);
        int mix = a.getInt("mix", 5);
        double dropout = a.getDouble("dropout", 0.5);
        int trainBatch = a.getInt("trainBatch", 32);
        int inferBatch = a.getInt("inferBatch", 256);
        int steps = a.getInt("steps", 30);
        PixelCnn net = new PixelCnn(new PixelCnnSpec(resnet, stages, filters, 3, 3, mix, dropout), Shape.of(28, 28, 1));
        Random r = new Random(0);
        List<float[]> pool = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pool.add(images(r, trainBatch));
        }
        float[] infer = images(r, inferBatch);
        org.tensorflow.proto.ConfigProto cfg = Sessions.config();
        if (System.getProperty("intra") != null) {
            cfg = cfg.toBuilder().setIntraOpParallelismThreads(Integer.getInteger("intra"))
                    .setInterOpParallelismThreads(Integer.getInteger("inter")).build();
        }
        if (Boolean.getBoolean("bf16")) {
            cfg = cfg.toBuilder().setGraphOptions(org.tensorflow.proto.GraphOptions.newBuilder().setRewriteOptions(
                    org.tensorflow.proto.RewriterConfig.newBuilder().setAutoMixedPrecisionOnednnBfloat16(
                            org.tensorflow.proto.RewriterConfig.Toggle.ON))).build();
        }
        TfOptions options = TfOptions.of(DetectorContext.simple());
        try (Graph g = new Graph(); Session s = new Session(g, cfg)) {
            Ops tf = Ops.create(g);
            ModelVariables vars = ModelVariables.create(tf, "m", net.weights());
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(
                    org.tensorflow.ndarray.Shape.of(-1, 28, 28, 1)));
            Operand<TFloat32> keep = tf.constant((float) (1 - dropout));
            Operand<TFloat32> lpTrain = net.logProb(tf, options, vars::value, x, dropout > 0 ? keep : null, 1);
            Operand<TFloat32> bpd = tf.math.div(tf.math.neg(tf.math.mean(lpTrain, tf.constant(new int[] {0, 1, 2, 3}))),
                    tf.constant((float) Math.log(2)));
            Operand<TFloat32> lpInfer = tf.reduceSum(net.logProb(tf, options, vars::value, x, null, 0),
                    tf.constant(new int[] {1, 2, 3}));
            Adam adam = new Adam(tf, bpd, vars);
            vars.assign(s, Weights.initial(net.weights(), 0));
            adam.reset(s);
            double[] stepMs = new double[steps];
            int warmup = 5;
            for (int i = 0; i < warmup + steps; i++) {
                long t0 = System.nanoTime();
                try (TFloat32 t = Tensors.floats(pool.get(i % 8), trainBatch, 28, 28, 1)) {
                    Session.Runner run = s.runner().feed(x, t).fetch(bpd);
                    var feeds = adam.addStep(run, 1e-3);
                    run.run().close();
                    feeds.forEach(TFloat32::close);
                }
                if (i >= warmup) {
                    stepMs[i - warmup] = (System.nanoTime() - t0) / 1e6;
                }
            }
            if (Boolean.getBoolean("profile")) {
                profile(s, x, bpd, adam, pool.get(0), trainBatch);
            }
            if (Boolean.getBoolean("profileInfer")) {
                profile(s, x, lpInfer, null, infer, inferBatch);
            }
            double[] inferS = new double[10];
            for (int i = 0; i < 2 + inferS.length; i++) {
                long t0 = System.nanoTime();
                try (TFloat32 t = Tensors.floats(infer, inferBatch, 28, 28, 1);
                        Result out = s.runner().feed(x, t).fetch(lpInfer).run()) {
                    Tensors.toFloats(Tensors.get(out, 0, TFloat32.class));
                }
                if (i >= 2) {
                    inferS[i - 2] = (System.nanoTime() - t0) / 1e9;
                }
            }
            double ms = median(stepMs);
            double ips = inferBatch / median(inferS);
            System.out.printf(Locale.ROOT, "PixelCNN++ %d stages, %d res, %d filters, %d mix, dropout %.2f: %d params%n",
                    stages, resnet, filters, mix, dropout, net.parameterCount());
            System.out.printf(Locale.ROOT, "train step b%d: %.1f ms (%.1f img/s); log-prob b%d: %.1f img/s%n",
                    trainBatch, ms, trainBatch / ms * 1000, inferBatch, ips);
        }
    }

    /** Time per op type of one traced training step (TensorFlow step stats), largest first. */
    private static void profile(Session s, Placeholder<TFloat32> x, Operand<TFloat32> loss, Adam adam, float[] batch,
            int n) {
        Map<String, Long> byType = new java.util.TreeMap<>();
        Map<String, Long> count = new java.util.TreeMap<>();
        for (int rep = 0; rep < 3; rep++) {
            try (TFloat32 t = Tensors.floats(batch, n, 28, 28, 1)) {
                Session.Runner run = s.runner().feed(x, t).fetch(loss).setOptions(org.tensorflow.proto.RunOptions
                        .newBuilder().setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build());
                var feeds = adam == null ? List.<TFloat32>of() : adam.addStep(run, 1e-3);
                try (Result res = run.runAndFetchMetadata()) {
                    if (rep < 2) {
                        continue;
                    }
                    var stats = res.getMetadata().orElseThrow().getStepStats();
                    for (var dev : stats.getDevStatsList()) {
                        for (var node : dev.getNodeStatsList()) {
                            String label = node.getTimelineLabel();
                            String type = label.contains("= ") ? label.substring(label.indexOf("= ") + 2) : label;
                            type = type.contains("(") ? type.substring(0, type.indexOf('(')) : type;
                            byType.merge(dev.getDevice().replaceAll(".*device:", "") + " " + type,
                                    node.getAllEndRelMicros(), Long::sum);
                            count.merge(dev.getDevice().replaceAll(".*device:", "") + " " + type, 1L, Long::sum);
                        }
                    }
                }
                feeds.forEach(TFloat32::close);
            }
        }
        byType.entrySet().stream().sorted((p, q) -> Long.compare(q.getValue(), p.getValue())).limit(25)
                .forEach(e -> System.out.printf(Locale.ROOT, "%10.1f ms %5d  %s%n", e.getValue() / 1e3,
                        count.get(e.getKey()), e.getKey()));
    }

    private static float[] images(Random r, int n) {
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(256) / 127.5f - 1f;
        }
        return x;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
