package io.oddball.tf.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.data.Shape;
import io.oddball.tf.Sessions;
import io.oddball.tf.TfOptions;
import io.oddball.tf.ops.BuiltLibrary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Every test of {@link LayersTest} with the layers built on Oddball's op library (its patches in strided
 * convolutions, its sum into place in transposed ones, its Winograd transforms in inference graphs): the same values
 * as the stock ops and the references.
 */
@ExtendWith(BuiltLibrary.class)
class OpLibraryLayersTest extends LayersTest {
    @Override
    TfOptions options() {
        return BuiltLibrary.ON;
    }

    @Test
    void inferenceGraphsBuildWideFourByFourStrideTwoConvolutionsInWinogradForm() {
        // the autoencoders' wide 4×4 stride-2 layers (same padding, odd output sizes, explicit padding, an input row
        // the output never reads) in Winograd form from WINOGRAD_MIN_BATCH images on, the patches' product below:
        // both are in the graph, the values are the patches' product's up to float rounding, and an image's output
        // does not depend on the batch it comes in (one image: the patches)
        Object[][] cases = {{new Conv2D(128, 4, 2, Padding.same(), Activation.RELU), Shape.of(16, 16, 64)},
            {new Conv2D(512, 4, 2, Padding.same(), Activation.LINEAR), Shape.of(8, 8, 128)},
            {new Conv2D(128, 4, 2, Padding.same(), Activation.ELU), Shape.of(7, 9, 64)},
            {new Conv2D(128, 4, 2, Padding.same(), Activation.LINEAR), Shape.of(9, 5, 64)},
            {new Conv2D(128, 4, 2, Padding.explicit(1), Activation.LINEAR), Shape.of(9, 9, 64)},
            {new Conv2D(128, 4, 2, Padding.explicit(0), Activation.RELU), Shape.of(11, 10, 64)}};
        for (Object[] c : cases) {
            Conv2D layer = (Conv2D) c[0];
            Shape in = (Shape) c[1];
            assertThat(opTypes(layer, in, options())).as("%s on %s", layer, in).contains("OddballWinogradInput",
                    "OddballWinogradOutputBiasAct", "OddballPatches", "Switch", "Merge");
            // the branch that ran: Merge's value_index, 1 for the Winograd form (its second input)
            assertThat(branchTaken(layer, in, Conv2D.WINOGRAD_MIN_BATCH)).as("%s on %s", layer, in).isEqualTo(1);
            assertThat(branchTaken(layer, in, Conv2D.WINOGRAD_MIN_BATCH - 1)).as("%s on %s", layer, in).isZero();
            assertThat(opTypes(layer, in, options().with(TfOptions.Variant.PATCHES_CONV))).contains("OddballPatches")
                    .doesNotContain("OddballWinogradInput");
            int n = Conv2D.WINOGRAD_MIN_BATCH + 1;
            float[] x = random(n * (int) in.size(), 70);
            Weights w = weights(layer, in, 71);
            float[] winograd = run(layer, in, n, x, w, Sessions.config(), options());
            float[] patches = run(layer, in, n, x, w, Sessions.config(),
                options().with(TfOptions.Variant.PATCHES_CONV));
            float[] first = run(layer, in, 1, java.util.Arrays.copyOf(x, (int) in.size()), w, Sessions.config(),
                options());
            // each output sums kernel² · C products of an input and a weight; the transforms add and subtract up to
            // four terms on each side, so their rounding is a few float epsilons of the largest such sum
            double scale = (double) layer.kernel() * layer.kernel() * in.dim(2) * maxAbs(x)
                    * maxAbs(LayersTest.values(w, "l_kernel"));
            double tolerance = 64 * Math.ulp(1f) * scale;
            assertThat(winograd).hasSameSizeAs(patches);
            for (int i = 0; i < patches.length; i++) {
                assertThat((double) winograd[i]).as("%s on %s, value %d", layer, in, i).isCloseTo(patches[i],
                        within(tolerance));
            }
            for (int i = 0; i < first.length; i++) {
                assertThat((double) first[i]).as("%s on %s, batch 1, value %d", layer, in, i).isCloseTo(winograd[i],
                        within(tolerance));
            }
        }
        // a narrow layer (the CIFAR encoder's first) and a training graph keep the patches
        assertThat(opTypes(new Conv2D(64, 4, 2, Padding.same(), Activation.RELU), Shape.of(32, 32, 3), options()))
                .doesNotContain("OddballWinogradInput");
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    /** Merge's {@code value_index} when the inference graph of {@code layer} runs a batch of {@code n}. */
    private int branchTaken(Layer layer, Shape in, int n) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Sequential seq = new Sequential("l", List.of(layer));
            ModelVariables vars = ModelVariables.create(tf, "s", seq.weights(in));
            org.tensorflow.op.core.Placeholder<TFloat32> input = tf.placeholder(TFloat32.class);
            seq.build(tf, input, in, vars, options());
            GraphOperation merge = null;
            for (java.util.Iterator<GraphOperation> it = g.operations(); it.hasNext();) {
                GraphOperation op = it.next();
                if (op.type().equals("Merge")) {
                    merge = op;
                }
            }
            assertThat(merge).as("a Merge op in the graph").isNotNull();
            try (org.tensorflow.Session s = new org.tensorflow.Session(g)) {
                vars.assign(s, rename(weights(layer, in, 72), seq.weights(in)));
                try (TFloat32 t = io.oddball.tf.Tensors.floats(random(n * (int) in.size(), 73), longs(in.prepend(n)));
                        org.tensorflow.Result r = s.runner().feed(input, t).fetch(merge.output(1)).run()) {
                    return ((org.tensorflow.types.TInt32) r.get(0)).getInt();
                }
            }
        }
    }

    private static List<String> opTypes(Layer layer, Shape in, TfOptions options) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Sequential seq = new Sequential("l", List.of(layer));
            ModelVariables vars = ModelVariables.create(tf, "s", seq.weights(in));
            seq.build(tf, tf.placeholder(TFloat32.class), in, vars, options);
            List<String> types = new ArrayList<>();
            g.operations().forEachRemaining(op -> types.add(((GraphOperation) op).type()));
            return types;
        }
    }
}
