package io.oddball.tf.layers;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
import io.oddball.tf.TfOptions;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A stack of layers applied in order, named so that its weights ({@code <name><index>_kernel}, ...) are unique
 * among the stacks of one model (an encoder {@code enc} and a decoder {@code dec}).
 *
 * @param name prefix of this stack's weight names (letters, digits, {@code _})
 * @param layers the layers, first applied first
 */
public record Sequential(String name, List<Layer> layers) {
    public Sequential {
        requireNonNull(name, "name is null");
        layers = List.copyOf(layers);
    }

    /** A stack of {@code layers}. */
    public static Sequential of(String name, Layer... layers) {
        return new Sequential(name, List.of(layers));
    }

    /** Shape of one output instance for input instances of {@code in}; fails naming the layer that rejects it. */
    public Shape outputShape(Shape in) {
        Shape s = in;
        for (Layer l : layers) {
            s = l.outputShape(s);
        }
        return s;
    }

    /** The weights of every layer for input instances of {@code in}, in order. */
    public List<WeightSpec> weights(Shape in) {
        List<WeightSpec> out = new ArrayList<>();
        Shape s = in;
        for (int i = 0; i < layers.size(); i++) {
            out.addAll(layers.get(i).weights(name + i, s));
            s = layers.get(i).outputShape(s);
        }
        return out;
    }

    /**
     * Builds the stack on {@code x} (a batch of instances of {@code in}) with the weights held by {@code vars}, each
     * layer with {@code options} ({@link Layer#build(Ops, Operand, Shape, List, boolean, TfOptions)}).
     */
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Shape in, ModelVariables vars, TfOptions options) {
        requireNonNull(options, "options is null");
        Operand<TFloat32> y = x;
        Shape s = in;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            List<Operand<TFloat32>> w = new ArrayList<>();
            for (WeightSpec spec : l.weights(name + i, s)) {
                w.add(vars.value(spec.name()));
            }
            y = l.build(tf, y, s, w, vars.training(), options);
            s = l.outputShape(s);
        }
        return y;
    }
}
