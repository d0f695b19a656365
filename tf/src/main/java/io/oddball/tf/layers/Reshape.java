package io.oddball.tf.layers;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Reshapes each instance to {@code target} (same number of values, row-major).
 *
 * @param target the instance shape after this layer
 */
public record Reshape(Shape target) implements Layer {
    public Reshape {
        requireNonNull(target, "target is null");
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.size() != target.size()) {
            throw new IllegalArgumentException("reshape " + in + " to " + target + ": expected " + target.size()
                    + " values, found " + in.size());
        }
        return target;
    }

    @Override
    public List<WeightSpec> weights(String prefix, Shape in) {
        return List.of();
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, List<Operand<TFloat32>> weights) {
        outputShape(in);
        return tf.reshape(x, tf.constant(withBatch(target)));
    }

    private static int[] withBatch(Shape s) {
        int[] d = new int[s.rank() + 1];
        d[0] = -1;
        System.arraycopy(s.dims(), 0, d, 1, s.rank());
        return d;
    }
}
