package io.oddball.tf.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ModelFormatException;
import io.oddball.tf.Sessions;
import io.oddball.tf.TfOptions;
import io.oddball.tf.layers.Activation;
import io.oddball.tf.layers.Conv2D;
import io.oddball.tf.layers.Conv2DTranspose;
import io.oddball.tf.layers.Dense;
import io.oddball.tf.layers.Flatten;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.Padding;
import io.oddball.tf.layers.Reshape;
import io.oddball.tf.layers.Sequential;
import io.oddball.tf.layers.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class InferenceModelTest {
    static final Shape SHAPE = Shape.of(8, 8, 1);

    @TempDir
    Path dir;

    /**
     * The options models are loaded with: the environment's, as every test context's (the AVX2 test pass sets
     * {@code ODDBALL_OPS=on}); the op library's tests build with the library on.
     */
    TfOptions options() {
        return TfOptions.of(DetectorContext.simple());
    }

    /** A tiny conv autoencoder with random weights: outputs reconstruction and squared error; stock ops only. */
    private static InferenceModel build() {
        return build(TfOptions.defaults().withOpLibrary(TfOptions.OpLibraryUse.OFF));
    }

    /** The same autoencoder, its layers built with {@code options}. */
    static InferenceModel build(TfOptions options) {
        Sequential model = Sequential.of("ae", new Conv2D(4, 3, 2, Padding.same(), Activation.RELU), new Flatten(),
                new Dense(3, Activation.LINEAR), new Dense(64, Activation.RELU), new Reshape(Shape.of(4, 4, 4)),
                new Conv2DTranspose(1, 3, 2, Padding.same(), Activation.SIGMOID));
        Graph g = new Graph();
        try {
            Ops tf = Ops.create(g);
            ModelVariables vars = ModelVariables.create(tf, "ae", model.weights(SHAPE));
            Placeholder<TFloat32> x = tf.withName("input").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 8, 8, 1)));
            Operand<TFloat32> xhat = tf.withName("reconstruction").identity(model.build(tf, x, SHAPE, vars, options));
            Operand<TFloat32> fs = tf.withName("feature_scores").math.square(tf.math.sub(x, xhat));
            Session s = Sessions.open(g);
            vars.assign(s, Weights.initial(vars.specs(), 42));
            Map<String, InferenceModel.Output> outs = new LinkedHashMap<>();
            outs.put("reconstruction", new InferenceModel.Output(xhat, SHAPE));
            outs.put("feature_scores", new InferenceModel.Output(fs, SHAPE));
            return InferenceModel.of(g, s, x, SHAPE, outs);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    static float[] data(int n) {
        Random r = new Random(1);
        float[] x = new float[n * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return x;
    }

    @Test
    void savedModelRoundTripGivesBitIdenticalOutputs() {
        float[] x = data(37);
        float[][] before;
        Path saved = dir.resolve("sm");
        try (InferenceModel m = build()) {
            before = m.run(x, 37, 10, "feature_scores", "reconstruction");
            // Batching does not change a value beyond float rounding (another batch size blocks the sums differently).
            io.oddball.tf.testing.Floats.assertClose("feature_scores in batches of 37", m.run(x, 37, 37, "feature_scores")[0],
                    before[0]);
            m.export(saved);
        }
        assertThat(saved.resolve("saved_model.pb")).isRegularFile();
        assertThat(saved.resolve("variables")).isDirectory();
        Map<String, Shape> outs = Map.of("feature_scores", SHAPE, "reconstruction", SHAPE);
        try (InferenceModel loaded = InferenceModel.load(saved, SHAPE, outs, options())) {
            float[][] after = loaded.run(x, 37, 10, "feature_scores", "reconstruction");
            io.oddball.tf.testing.Floats.assertClose("feature_scores after loading", after[0], before[0]);
            io.oddball.tf.testing.Floats.assertClose("reconstruction after loading", after[1], before[1]);
            for (int i = 0; i < 64; i++) {
                float d = x[i] - after[1][i];
                assertThat(after[0][i]).isEqualTo(d * d);
            }
            // A loaded model saves by copying its files.
            loaded.export(dir.resolve("copy"));
        }
        try (InferenceModel copy = InferenceModel.load(dir.resolve("copy"), SHAPE, outs, options())) {
            assertThat(copy.run(x, 37, 64, "feature_scores")[0]).containsExactly(before[0]);
        }
    }

    @Test
    void loadChecksFilesAndShapes() throws Exception {
        Path saved = dir.resolve("sm");
        try (InferenceModel m = build()) {
            m.export(saved);
        }
        assertThatThrownBy(() -> InferenceModel.load(saved, Shape.of(16, 16, 1), Map.of(), options()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("input: expected a float tensor of shape [-1, 16, 16, 1], found");
        assertThatThrownBy(() -> InferenceModel.load(saved, SHAPE, Map.of("scores", SHAPE), options()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("expected outputs [scores], found");
        assertThatThrownBy(() -> InferenceModel.load(dir.resolve("none"), SHAPE, Map.of(), options()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("expected a SavedModel (saved_model.pb), found none");
        Files.write(saved.resolve("saved_model.pb"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> InferenceModel.load(saved, SHAPE, Map.of(), options()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("cannot load the SavedModel");
    }
}
