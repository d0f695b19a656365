package io.oddball.detector.llr.pixelcnn;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Shape;
import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import io.oddball.tf.TfOptions;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.Weights;
import io.oddball.tf.train.Adam;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class PixelCnnTest {
    private static final Shape IMAGE = Shape.of(8, 8, 1);
    /** The environment's options, as every test context's (the AVX2 test pass sets {@code ODDBALL_OPS=on}). */
    private static final TfOptions OPTIONS = TfOptions.of(DetectorContext.simple());

    @Test
    void discretisedLogisticSumsToOneOverAll256ValuesForRandomParameters() {
        int mix = 3;
        SplittableRandom r = new SplittableRandom(7);
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            // 256 "pixels" in one row, each holding one of the 256 values; the same parameters for all of them.
            for (int trial = 0; trial < 20; trial++) {
                float[] p = new float[3 * mix];
                for (int k = 0; k < mix; k++) {
                    p[k] = (float) r.nextDouble(-3, 3);
                    p[mix + k] = (float) r.nextDouble(-1.2, 1.2);
                    p[2 * mix + k] = (float) r.nextDouble(-5, 1);
                }
                float[] values = new float[256];
                float[] params = new float[256 * 3 * mix];
                for (int v = 0; v < 256; v++) {
                    values[v] = v / 127.5f - 1f;
                    System.arraycopy(p, 0, params, v * 3 * mix, 3 * mix);
                }
                Operand<TFloat32> lp = DiscretizedLogistic.logProb(tf,
                        tf.constant(org.tensorflow.ndarray.StdArrays.ndCopyOf(new float[][][][] {{reshape(values)}})),
                        tf.reshape(tf.constant(params), tf.constant(new long[] {1, 1, 256, 3 * mix})), mix, 1);
                try (Result out = s.runner().fetch(lp).run()) {
                    float[] logs = Tensors.toFloats(Tensors.get(out, 0, TFloat32.class));
                    double total = 0;
                    for (float l : logs) {
                        total += Math.exp(l);
                    }
                    assertThat(total).as("trial %d, params %s", trial, java.util.Arrays.toString(p))
                            .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
                }
            }
        }
    }

    private static float[][] reshape(float[] values) {
        float[][] out = new float[256][1];
        for (int i = 0; i < 256; i++) {
            out[i][0] = values[i];
        }
        return out;
    }

    @Test
    void modelIsCausalInRasterOrder() {
        PixelCnn net = new PixelCnn(new PixelCnnSpec(1, 2, 8, 3, 3, 2, 0.0), IMAGE);
        Weights w = Weights.initial(net.weights(), 3);
        float[] base = randomImage(new SplittableRandom(1));
        try (Graph g = new Graph(); Session s = new Session(g, Sessions.config())) {
            Ops tf = Ops.create(g);
            ModelVariables vars = ModelVariables.create(tf, "m", net.weights());
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
            // The mixture parameters of pixel i (what its log-probability is computed from) may depend on pixels
            // before i only: changing pixel i leaves the parameters of pixels 0..i unchanged.
            Operand<TFloat32> lp = net.params(tf, OPTIONS, vars::value, tf.reshape(x, tf.constant(new long[] {-1, 8, 8, 1})),
                    null, 0);
            int per = net.outputChannels();
            vars.assign(s, w);
            float[] before = run(s, x, lp, base);
            for (int pixel : new int[] {0, 9, 27, 36, 63}) {
                float[] changed = base.clone();
                changed[pixel] = changed[pixel] > 0 ? -1f : 1f;
                float[] after = run(s, x, lp, changed);
                for (int i = 0; i < (pixel + 1) * per; i++) {
                    assertThat(after[i]).as("parameter %d of pixel %d after changing pixel %d", i % per, i / per,
                            pixel).isEqualTo(before[i]);
                }
                boolean later = false;
                for (int i = (pixel + 1) * per; i < 64 * per; i++) {
                    later |= after[i] != before[i];
                }
                if (pixel < 63) {
                    assertThat(later).as("some later pixel depends on pixel %d", pixel).isTrue();
                }
            }
        }
    }

    @Test
    void tinyModelOverfitsAFewImages() {
        PixelCnn net = new PixelCnn(new PixelCnnSpec(1, 2, 16, 3, 3, 1, 0.0), IMAGE);
        SplittableRandom r = new SplittableRandom(5);
        float[] images = new float[2 * 64];
        for (int i = 0; i < 2; i++) {
            System.arraycopy(randomImage(r), 0, images, i * 64, 64);
        }
        try (Graph g = new Graph(); Session s = new Session(g, Sessions.config())) {
            Ops tf = Ops.create(g);
            ModelVariables vars = ModelVariables.create(tf, "m", net.weights());
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
            Operand<TFloat32> lp = net.logProb(tf, OPTIONS, vars::value, tf.reshape(x, tf.constant(new long[] {-1, 8,
                8, 1})), null, 0);
            Operand<TFloat32> bitsPerDim = tf.math.div(tf.math.neg(tf.math.mean(lp, tf.constant(new int[] {0, 1, 2,
                    3}))), tf.constant((float) Math.log(2)));
            Adam adam = new Adam(tf, bitsPerDim, vars);
            vars.assign(s, Weights.initial(net.weights(), 11));
            adam.reset(s);
            float first = loss(s, x, bitsPerDim, images);
            float last = first;
            for (int step = 0; step < 1000; step++) {
                try (TFloat32 t = Tensors.floats(images, 2, 64)) {
                    Session.Runner run = s.runner().feed(x, t);
                    var feeds = adam.addStep(run, 5e-3);
                    run.run().close();
                    feeds.forEach(TFloat32::close);
                }
            }
            last = loss(s, x, bitsPerDim, images);
            // 8 bits/dim is uniform; memorising 2 random images drives the loss far below that (about 2 bits/dim
            // after 1 000 steps here; the trajectory differs between CPUs, 400 steps ended at 3.3 on one and below 3
            // on another).
            assertThat(first).isGreaterThan(6f);
            assertThat(last).isLessThan(3f);
        }
    }

    private static float loss(Session s, Placeholder<TFloat32> x, Operand<TFloat32> loss, float[] images) {
        try (TFloat32 t = Tensors.floats(images, images.length / 64, 64);
                Result out = s.runner().feed(x, t).fetch(loss).run()) {
            return Tensors.get(out, 0, TFloat32.class).getFloat();
        }
    }

    private static float[] run(Session s, Placeholder<TFloat32> x, Operand<TFloat32> lp, float[] image) {
        try (TFloat32 t = Tensors.floats(image, 1, 64); Result out = s.runner().feed(x, t).fetch(lp).run()) {
            return Tensors.toFloats(Tensors.get(out, 0, TFloat32.class));
        }
    }

    private static float[] randomImage(SplittableRandom r) {
        float[] img = new float[64];
        for (int i = 0; i < 64; i++) {
            img[i] = r.nextInt(256) / 127.5f - 1f;
        }
        return img;
    }
}
