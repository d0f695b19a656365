package io.oddball.tf.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.DetectorContext;
import io.oddball.api.Embedder;
import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.tf.Sessions;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.layers.Activation;
import io.oddball.tf.layers.Dense;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.Sequential;
import io.oddball.tf.layers.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The {@code saved-model} embedder on a SavedModel exported in the test: a 6 → 3 dense layer ({@code code}) and its
 * double ({@code twice}), so the signature has two outputs and the output must be named.
 */
class SavedModelEmbedderTest {
    private static final Shape IN = Shape.of(6);
    private static final DetectorContext CTX = DetectorContext.simple();

    @TempDir
    static Path tmp;

    private static Path saved;
    private static float[] x;
    private static float[] expectedCodes;

    @BeforeAll
    static void export() {
        x = new float[10 * 6];
        Random r = new Random(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        saved = tmp.resolve("model");
        try (InferenceModel m = build()) {
            expectedCodes = m.run(x, 10, 4, "code")[0];
            m.export(saved);
        }
    }

    private static InferenceModel build() {
        Sequential net = Sequential.of("enc", new Dense(3, Activation.RELU));
        Graph g = new Graph();
        try {
            Ops tf = Ops.create(g);
            ModelVariables vars = ModelVariables.create(tf, "enc", net.weights(IN));
            Placeholder<TFloat32> in = tf.withName("input").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 6)));
            Operand<TFloat32> code = tf.withName("code").identity(net.build(tf, in, IN, vars,
                    io.oddball.tf.TfOptions.defaults()));
            Operand<TFloat32> twice = tf.withName("twice").math.mul(code, tf.constant(2f));
            Session s = Sessions.open(g);
            vars.assign(s, Weights.initial(vars.specs(), 7));
            Map<String, InferenceModel.Output> outs = new LinkedHashMap<>();
            outs.put("code", new InferenceModel.Output(code, Shape.of(3)));
            outs.put("twice", new InferenceModel.Output(twice, Shape.of(3)));
            return InferenceModel.of(g, s, in, IN, outs);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    private static Embedder create(Map<String, ?> values, Path base) {
        Params p = Params.of(values, "embed", null);
        Embedder e = new SavedModelEmbedderProvider().create(p, base, CTX);
        p.finish();
        return e;
    }

    @Test
    void embedsWithTheNamedOutputInBatchesAndSavesACopyThatLoads() {
        Map<String, Object> params = Map.of("path", "model", "output", "code", "batchSize", 3);
        Batch batch = Batch.of(x, IN.prepend(10), new int[10]);
        Map<String, Object> savedParams;
        Path copy = tmp.resolve("detector/embed");
        try (Embedder e = create(params, tmp)) {
            assertThat(e.inputShape()).isEqualTo(IN);
            assertThat(e.outputShape()).isEqualTo(Shape.of(3));
            Batch out = e.embed(batch);
            assertThat(out.shape()).isEqualTo(Shape.of(10, 3));
            io.oddball.tf.testing.Floats.assertClose("codes in batches of 3", out.toArray(), expectedCodes);
            assertThat(out.hasLabels()).isTrue();
            assertThat(e.embed(batch.slice(0, 0)).size()).isZero();
            try {
                Files.createDirectories(copy);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
            savedParams = e.save(copy, copy.getParent());
        }
        assertThat(savedParams).containsEntry("path", "embed").containsEntry("output", "code")
                .containsEntry("signature", "serving_default").containsEntry("batchSize", 3);
        try (Embedder again = create(savedParams, copy.getParent())) {
            io.oddball.tf.testing.Floats.assertClose("codes of the saved copy", again.embed(batch).toArray(), expectedCodes);
        }
    }

    @Test
    void wrongParametersNameTheKeyAndWhatExists() {
        assertThatThrownBy(() -> create(Map.of("path", "model"), tmp)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("embed.output: expected an output of signature serving_default [code, twice] "
                        + "(it has 2, so name one), found nothing");
        assertThatThrownBy(() -> create(Map.of("path", "model", "output", "codes"), tmp))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("embed.output: expected an output of signature serving_default [code, twice], "
                        + "found 'codes'");
        assertThatThrownBy(() -> create(Map.of("path", "model", "output", "code", "signature", "predict"), tmp))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("embed.signature: expected a signature of")
                .hasMessageContaining("[serving_default], found 'predict'");
        assertThatThrownBy(() -> create(Map.of("path", "model", "output", "code", "input", "images"), tmp))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("embed.input: expected an input of signature serving_default [input], "
                        + "found 'images'");
        assertThatThrownBy(() -> create(Map.of("path", "nowhere", "output", "code"), tmp))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("embed.path: expected a TensorFlow SavedModel directory (with saved_model.pb; "
                        + "looked in " + tmp.resolve("nowhere") + "), found 'nowhere'");
        assertThatThrownBy(() -> create(Map.of("output", "code", "batchSize", 0), tmp))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("embed.batchSize: expected an integer >= 1, found 0")
                .hasMessageContaining("embed.path: expected a value, found nothing");
    }

    @Test
    void instancesOfAnotherShapeAreRefused() {
        try (Embedder e = create(Map.of("path", "model", "output", "twice"), tmp)) {
            assertThatThrownBy(() -> e.embed(Batch.of(new float[8], Shape.of(2, 4))))
                    .isInstanceOf(DataException.class)
                    .hasMessage("embed: expected instances of shape 6 (the SavedModel's input), found 4");
        }
    }
}
