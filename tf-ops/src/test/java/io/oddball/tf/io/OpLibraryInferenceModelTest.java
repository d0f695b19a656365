package io.oddball.tf.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.data.Shape;
import io.oddball.tf.TfOptions;
import io.oddball.tf.layers.Activation;
import io.oddball.tf.layers.Conv2D;
import io.oddball.tf.layers.Conv2DTranspose;
import io.oddball.tf.layers.Dense;
import io.oddball.tf.layers.Flatten;
import io.oddball.tf.layers.Padding;
import io.oddball.tf.layers.Reshape;
import io.oddball.tf.layers.Sequential;
import io.oddball.tf.layers.Weights;
import io.oddball.tf.ops.BuiltLibrary;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Every test of {@link InferenceModelTest} with the models loaded for the op library, and the export of a graph that
 * holds its ops: the SavedModel holds TensorFlow's stock ops only.
 */
@ExtendWith(BuiltLibrary.class)
class OpLibraryInferenceModelTest extends InferenceModelTest {
    @Override
    TfOptions options() {
        return BuiltLibrary.ON;
    }

    @Test
    void aGraphWithOddballsOwnOpsExportsTheSameWeightsInStockOps() throws Exception {
        Sequential model = Sequential.of("ae", new Conv2D(4, 4, 2, Padding.same(), Activation.RELU), new Flatten(),
                new Dense(3, Activation.LINEAR), new Dense(64, Activation.RELU), new Reshape(Shape.of(4, 4, 4)),
                new Conv2DTranspose(1, 4, 2, Padding.same(), Activation.SIGMOID));
        Weights w = Weights.initial(model.weights(SHAPE), 7);
        InferenceModel.Builder builder = (tf, vars, o) -> {
            Placeholder<TFloat32> x = tf.withName("input").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 8, 8, 1)));
            Operand<TFloat32> xhat = tf.withName("reconstruction").identity(model.build(tf, x, SHAPE, vars, o));
            return new InferenceModel.Spec(x, SHAPE, Map.of("reconstruction", new InferenceModel.Output(xhat, SHAPE)));
        };
        float[] x = data(9);
        float[] fused;
        Path saved = dir.resolve("fused");
        try (InferenceModel m = InferenceModel.build(io.oddball.api.DetectorContext.simple(), options(), "ae",
                model.weights(SHAPE), w, builder)) {
            fused = m.run(x, 9, 4, "reconstruction")[0];
            m.export(saved);
        }
        // the SavedModel holds TensorFlow's stock ops only, and computes the same to float rounding
        try (org.tensorflow.SavedModelBundle b = org.tensorflow.SavedModelBundle.load(saved.toString(), "serve")) {
            java.util.List<String> types = new java.util.ArrayList<>();
            b.graph().operations().forEachRemaining(op -> types.add(op.type()));
            assertThat(types).isNotEmpty().noneMatch(t -> t.startsWith("Oddball"));
        }
        try (InferenceModel loaded = InferenceModel.load(saved, SHAPE, Map.of("reconstruction", SHAPE),
                options())) {
            float[] stock = loaded.run(x, 9, 4, "reconstruction")[0];
            assertThat(stock).hasSameSizeAs(fused);
            for (int i = 0; i < stock.length; i++) {
                assertThat(stock[i]).as("value %d", i).isCloseTo(fused[i], org.assertj.core.api.Assertions.within(
                        1e-5f));
            }
        }
        // a graph holding the ops, made without InferenceModel.build, refuses to export rather than write a
        // SavedModel other runtimes cannot load
        try (InferenceModel raw = build(options())) {
            assertThatThrownBy(() -> raw.export(dir.resolve("raw"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Oddball's own ops");
            assertThat(dir.resolve("raw")).doesNotExist();
        }
    }
}
