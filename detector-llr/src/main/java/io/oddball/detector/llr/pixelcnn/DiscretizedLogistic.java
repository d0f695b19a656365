package io.oddball.detector.llr.pixelcnn;

import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Split;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The discretised logistic mixture of PixelCNN++ (Salimans et al. 2017) over the 256 values of an 8-bit channel
 * mapped to {@code [-1, 1]} ({@code v / 127.5 − 1}): each value owns the bin {@code ±1/255} around it, the edge values
 * 0 and 255 own the tails. The parameters of one channel are {@code K} mixture logits, {@code K} means and {@code K}
 * log-scales (clamped at −7), in that order. Channels are modelled independently given the previous pixels (PixelCNN++
 * couples the R, G, B of one pixel linearly; this keeps one code path for any number of channels and is still a
 * normalised, causal model).
 */
public final class DiscretizedLogistic {
    private static final double HALF_BIN = 1.0 / 255.0;

    private DiscretizedLogistic() {
    }

    /**
     * Log-probabilities of each value (natural log).
     *
     * @param x {@code [B, H, W, C]} values in {@code [-1, 1]} on the 256-value grid
     * @param params {@code [B, H, W, C·3K]}: per channel, logits, means, log-scales
     * @return {@code [B, H, W, C]}
     */
    public static Operand<TFloat32> logProb(Ops tf, Operand<TFloat32> x, Operand<TFloat32> params, int mix,
            int channels) {
        Operand<TInt32> shape5 = tf.concat(List.of(tf.shape(x), tf.constant(new int[] {3 * mix})),
                tf.constant(0));
        Operand<TFloat32> p = tf.reshape(params, shape5);
        Split<TFloat32> parts = tf.split(tf.constant(4), p, 3L);
        Operand<TFloat32> logits = parts.output().get(0);
        Operand<TFloat32> means = parts.output().get(1);
        Operand<TFloat32> logScales = tf.math.maximum(parts.output().get(2), tf.constant(-7f));
        Operand<TFloat32> xe = tf.expandDims(x, tf.constant(-1));
        Operand<TFloat32> centered = tf.math.sub(xe, means);
        Operand<TFloat32> inv = tf.math.exp(tf.math.neg(logScales));
        Operand<TFloat32> plusIn = tf.math.mul(inv, tf.math.add(centered, tf.constant((float) HALF_BIN)));
        Operand<TFloat32> minIn = tf.math.mul(inv, tf.math.sub(centered, tf.constant((float) HALF_BIN)));
        Operand<TFloat32> cdfDelta = tf.math.sub(tf.math.sigmoid(plusIn), tf.math.sigmoid(minIn));
        Operand<TFloat32> logCdfPlus = tf.math.sub(plusIn, tf.math.softplus(plusIn));
        Operand<TFloat32> logOneMinusCdfMin = tf.math.neg(tf.math.softplus(minIn));
        Operand<TFloat32> midIn = tf.math.mul(inv, centered);
        Operand<TFloat32> logPdfMid = tf.math.sub(tf.math.sub(midIn, logScales),
                tf.math.mul(tf.constant(2f), tf.math.softplus(midIn)));
        // Masks are constants of the data or comparisons: no gradient flows through them, and every branch is finite.
        Operand<TFloat32> bigDelta = tf.dtypes.cast(tf.math.greater(cdfDelta, tf.constant(1e-5f)), TFloat32.class);
        Operand<TFloat32> innerInner = blend(tf, bigDelta,
                tf.math.log(tf.math.maximum(cdfDelta, tf.constant(1e-12f))),
                tf.math.sub(logPdfMid, tf.constant((float) Math.log(127.5))));
        Operand<TFloat32> top = tf.dtypes.cast(tf.math.greater(xe, tf.constant(0.999f)), TFloat32.class);
        Operand<TFloat32> inner = blend(tf, top, logOneMinusCdfMin, innerInner);
        Operand<TFloat32> bottom = tf.dtypes.cast(tf.math.less(xe, tf.constant(-0.999f)), TFloat32.class);
        Operand<TFloat32> lp = blend(tf, bottom, logCdfPlus, inner);
        Operand<TFloat32> perChannel;
        if (mix == 1) {
            perChannel = tf.squeeze(lp, org.tensorflow.op.core.Squeeze.axis(List.of(4L)));
        } else {
            Operand<TFloat32> withWeights = tf.math.add(lp, tf.nn.logSoftmax(logits));
            Operand<TFloat32> m = tf.stopGradient(tf.reduceMax(withWeights, tf.constant(4),
                    org.tensorflow.op.core.ReduceMax.keepDims(true)));
            Operand<TFloat32> sum = tf.reduceSum(tf.math.exp(tf.math.sub(withWeights, m)), tf.constant(4));
            perChannel = tf.math.add(tf.math.log(sum), tf.squeeze(m, org.tensorflow.op.core.Squeeze.axis(
                    List.of(4L))));
        }
        return perChannel;
    }

    private static Operand<TFloat32> blend(Ops tf, Operand<TFloat32> mask, Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.add(tf.math.mul(mask, a), tf.math.mul(tf.math.sub(tf.constant(1f), mask), b));
    }

    /**
     * Draws one 8-bit value (0–255) from the mixture of one channel whose parameters start at {@code offset} of
     * {@code params} (K logits, K means, K log-scales): a component by its softmax weight, then a logistic sample
     * rounded to the nearest grid value and clipped.
     */
    public static int sample(float[] params, int offset, int mix, SplittableRandom random) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < mix; k++) {
            max = Math.max(max, params[offset + k]);
        }
        double total = 0;
        double[] w = new double[mix];
        for (int k = 0; k < mix; k++) {
            w[k] = Math.exp(params[offset + k] - max);
            total += w[k];
        }
        double u = random.nextDouble() * total;
        int comp = mix - 1;
        for (int k = 0; k < mix; k++) {
            u -= w[k];
            if (u < 0) {
                comp = k;
                break;
            }
        }
        double mean = params[offset + mix + comp];
        double logScale = Math.max(params[offset + 2 * mix + comp], -7.0);
        double v = random.nextDouble(1e-5, 1 - 1e-5);
        double y = mean + Math.exp(logScale) * (Math.log(v) - Math.log1p(-v));
        long value = Math.round((Math.max(-1, Math.min(1, y)) + 1) * 127.5);
        return (int) Math.max(0, Math.min(255, value));
    }
}
