package io.oddball.tf.layers;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
import io.oddball.tf.TfOptions;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * A fully connected layer {@code activation(x · kernel + bias)} on vectors; kernel {@code [in, units]} Glorot-uniform,
 * bias zeros (Keras' defaults).
 *
 * @param units output size
 * @param activation applied to the output
 */
public record Dense(int units, Activation activation) implements Layer {
    public Dense {
        requireNonNull(activation, "activation is null");
        if (units < 1) {
            throw new IllegalArgumentException("dense units: expected >= 1, found " + units);
        }
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 1) {
            throw new IllegalArgumentException("dense(" + units + "): expected vector input, found " + in
                    + "; flatten first");
        }
        return Shape.of(units);
    }

    @Override
    public List<WeightSpec> weights(String prefix, Shape in) {
        outputShape(in);
        return List.of(new WeightSpec(prefix + "_kernel", Shape.of(in.dim(0), units), Initializer.glorotUniform()),
                new WeightSpec(prefix + "_bias", Shape.of(units), Initializer.zeros()));
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights) {
        return activation.apply(tf, tf.nn.biasAdd(tf.linalg.matMul(x, weights.get(0)), weights.get(1)));
    }

    /**
     * An inference graph builds the product as {@code BatchMatMulV2} where {@link TfOptions#batchedDense()} says so
     * (AVX2-class CPUs by default, where oneDNN runs it about 1.6× as fast as {@code MatMul}), then the bias and the
     * activation; the same values up to float rounding.
     *
     * <p>In a training graph a wide layer ({@code in · units ≥ 65 536}) computes {@code (xᵀ)ᵀ · kernel} instead of
     * {@code x · kernel}: the same values and, once TensorFlow folds the transposition into the product, the same
     * forward kernel (fused with the bias and activation), but the gradient with respect to {@code x} becomes
     * {@code (kernel · dyᵀ)ᵀ} instead of {@code dy · kernelᵀ}, a product TensorFlow's CPU kernel runs about 3× slower
     * when the batch is small (batch 64, 8 192 → 1 024: 14.3 against 4.9 ms, bench/RESULTS.md). Inference keeps
     * {@code x · kernel}; so does training with {@link TfOptions.Variant#PLAIN_DENSE} ({@code tf.dense=plain}).
     */
    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights,
            boolean training, TfOptions options) {
        if (!training && options.batchedDense()) {
            return activation.apply(tf, tf.nn.biasAdd(tf.train.batchMatMul(x, weights.get(0), TFloat32.class),
                    weights.get(1)));
        }
        if (!training || (long) in.dim(0) * units < 65_536 || options.has(TfOptions.Variant.PLAIN_DENSE)) {
            return build(tf, x, in, weights);
        }
        Operand<TFloat32> xt = tf.linalg.transpose(x, tf.constant(new int[] {1, 0}));
        return activation.apply(tf, tf.nn.biasAdd(tf.linalg.matMul(xt, weights.get(0), MatMul.transposeA(true)),
                weights.get(1)));
    }
}
