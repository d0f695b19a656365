package io.oddball.tf.layers;

import io.oddball.api.data.Shape;
import io.oddball.tf.TfOptions;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One layer, described as a plain value: it says what it makes of an instance shape (batch dimension excluded),
 * which weights it needs for that shape and how it builds into a graph given those weights.
 */
public interface Layer {
    /** Shape of one output instance for input instances of {@code in}; fails naming the layer on a bad input. */
    Shape outputShape(Shape in);

    /** The weights this layer needs for input instances of {@code in}, named with {@code prefix}. */
    List<WeightSpec> weights(String prefix, Shape in);

    /**
     * Builds the layer on {@code x} (a batch of instances of {@code in}) with {@code weights}, the values of
     * {@link #weights} in the same order.
     */
    Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights);

    /**
     * As {@link #build(Ops, Operand, Shape, List)}, with {@code options} (the op library, the variants benchmarks
     * compare, the inference precision), for a graph that trains these weights when {@code training}
     * ({@link ModelVariables#forTraining()}): a layer may then pick a form whose gradients run faster, computing the
     * same values. By default the same graph whatever the flag and the options.
     */
    default Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights,
            boolean training, TfOptions options) {
        return build(tf, x, in, weights);
    }
}
