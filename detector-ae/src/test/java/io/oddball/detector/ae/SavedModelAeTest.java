package io.oddball.detector.ae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.Encoder;
import io.oddball.api.FitOptions;
import io.oddball.api.Params;
import io.oddball.api.Reconstructor;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.tf.Sessions;
import io.oddball.tf.io.FileTrees;
import io.oddball.tf.io.InferenceModel;
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
 * {@code architecture: saved-model}: the user's own trained autoencoder. The "user's" models are a linear autoencoder
 * fitted in the test — the top 16 principal components of 600 MNIST images (subspace iteration) — exported as
 * TensorFlow SavedModels: an encoder ({@code x → (x − μ)Qᵀ}, with a second output so the output must be named), a
 * decoder ({@code z → zQ + μ}), and the whole autoencoder in one model. Scores must be {@code (x − x̂)²} of that
 * projection, MNIST must score lower than Fashion-MNIST, and a saved detector must load without the original files.
 */
class SavedModelAeTest {
    private static final int K = 16;
    private static final Shape IMAGE = Shape.of(28, 28, 1);
    private static final DetectorContext CTX = DetectorContext.simple();

    @TempDir
    static Path tmp;

    private static Batch mnist;
    private static Batch fashion;
    private static float[] mean;
    private static float[][] basis;

    @BeforeAll
    static void exportUserModels() {
        Batch all = Fixtures.idx("mnist/mnist-test-2000-images-idx3-ubyte.gz", 800);
        Batch train = all.slice(0, 600);
        mnist = all.slice(600, 800);
        fashion = Fixtures.idx("fashion-mnist/fashion-mnist-test-2000-images-idx3-ubyte.gz", 200);
        pca(train.toArray(), 600, 784);
        try (InferenceModel enc = linear(784, K, true); InferenceModel dec = linear(K, 784, false);
                InferenceModel whole = whole()) {
            enc.export(tmp.resolve("user/encoder"));
            dec.export(tmp.resolve("user/decoder"));
            whole.export(tmp.resolve("user/autoencoder"));
        }
    }

    private static Map<String, Object> pairParams() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("architecture", "saved-model");
        p.put("encoder", Map.of("path", tmp.resolve("user/encoder").toString(), "output", "code"));
        p.put("decoder", Map.of("path", tmp.resolve("user/decoder").toString()));
        return p;
    }

    private static Detector create(Map<String, Object> params) {
        Params p = Params.of(params);
        Detector d = new AeDetectorProvider().create(p, CTX);
        p.finish();
        return d;
    }

    @Test
    void scoresAreTheSquaredErrorOfTheUsersAutoencoderAndSeparateFashionFromMnist() {
        try (Detector d = create(pairParams())) {
            assertThat(d.inputShape()).isNull();
            d.fit(Dataset.of("mnist", mnist), FitOptions.DEFAULTS);
            assertThat(d.inputShape()).isEqualTo(IMAGE);
            float[] fs = d.score(mnist).featureScores();
            float[] x = mnist.toArray();
            float[] xhat = project(x, mnist.size());
            for (int i = 0; i < x.length; i++) {
                float e = x[i] - xhat[i];
                assertThat(fs[i]).as("element %d", i).isCloseTo(e * e, within(1e-5f));
            }
            double auroc = Fixtures.auroc(Fixtures.meanScores(fs, mnist.size()),
                    Fixtures.meanScores(d.score(fashion).featureScores(), fashion.size()));
            assertThat(auroc).as("AUROC of Fashion-MNIST against MNIST").isGreaterThan(0.85); // 0.907 measured: PCA with 16 components

            float[] codes = ((Encoder) d).encode(mnist.slice(0, 3));
            assertThat(((Encoder) d).codeShape()).isEqualTo(Shape.of(K));
            for (int c = 0; c < K; c++) {
                double expected = 0;
                for (int j = 0; j < 784; j++) {
                    expected += (x[j] - mean[j]) * basis[c][j];
                }
                assertThat(codes[c]).isCloseTo((float) expected, within(1e-4f));
            }
            float[] rec = ((Reconstructor) d).reconstruct(mnist.slice(0, 2)).toArray();
            for (int i = 0; i < rec.length; i++) {
                assertThat(rec[i]).isCloseTo(xhat[i], within(1e-5f));
            }
        }
    }

    @Test
    void oneWholeModelScoresAsTheEncoderDecoderPairButCannotEncode() {
        Map<String, Object> params = Map.of("architecture", "saved-model", "model",
                Map.of("path", tmp.resolve("user/autoencoder").toString()), "inferenceBatchSize", 7);
        try (Detector pair = create(pairParams()); Detector whole = create(params)) {
            pair.fit(Dataset.of("mnist", mnist), FitOptions.DEFAULTS);
            whole.fit(Dataset.of("mnist", mnist), FitOptions.DEFAULTS);
            float[] a = pair.score(fashion).featureScores();
            float[] b = whole.score(fashion).featureScores();
            for (int i = 0; i < a.length; i++) {
                assertThat(b[i]).isCloseTo(a[i], within(1e-5f));
            }
            assertThat(((Encoder) whole).codeShape()).isNull();
            assertThatThrownBy(() -> ((Encoder) whole).encode(mnist)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("found one 'model'");
        }
    }

    @Test
    void savedDetectorHoldsCopiesAndScoresIdenticallyWithoutTheOriginals() throws Exception {
        Path user = tmp.resolve("moved");
        FileTrees.copy(tmp.resolve("user"), user);
        Map<String, Object> params = pairParams();
        params.put("encoder", Map.of("path", user.resolve("encoder").toString(), "output", "code"));
        params.put("decoder", Map.of("path", user.resolve("decoder").toString(), "signature", "serving_default"));
        Path dir = tmp.resolve("saved");
        float[] before;
        Map<String, Object> hp;
        try (Detector d = create(params)) {
            d.fit(Dataset.of("mnist", mnist), FitOptions.DEFAULTS);
            before = d.score(fashion).featureScores();
            Files.createDirectories(dir);
            d.save(dir);
            hp = d.hyperParameters();
        }
        assertThat(hp).containsEntry("architecture", "saved-model").containsKeys("encoder", "decoder");
        assertThat(dir.resolve("encoder/saved_model.pb")).isRegularFile();
        assertThat(dir.resolve("decoder/saved_model.pb")).isRegularFile();
        assertThat(Files.readString(dir.resolve("ae.properties"))).contains("architecture=saved-model")
                .contains("instanceShape=28x28x1").contains("codeShape=16");
        FileTrees.delete(user);
        try (Detector loaded = new AeDetectorProvider().load(dir, Params.of(hp), CTX)) {
            assertThat(loaded.inputShape()).isEqualTo(IMAGE);
            assertThat(loaded.score(fashion).featureScores()).containsExactly(before);
            assertThat(loaded.hyperParameters()).isEqualTo(hp);
        }
    }

    @Test
    void badBlocksAreReportedTogetherNamingTheKeyAndWhatWasFound() {
        Map<String, Object> neither = Map.of("architecture", "saved-model");
        assertThatThrownBy(() -> create(neither)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("encoder: expected either 'encoder' and 'decoder' or 'model'")
                .hasMessageContaining("found 'neither'");

        Map<String, Object> both = pairParams();
        both.put("model", Map.of("path", tmp.resolve("user/autoencoder").toString()));
        assertThatThrownBy(() -> create(both)).isInstanceOf(ConfigException.class).hasMessageContaining("found 'both'");

        Map<String, Object> noOutput = pairParams();
        noOutput.put("encoder", Map.of("path", tmp.resolve("user/encoder").toString()));
        noOutput.put("decoder", Map.of("path", tmp.resolve("nowhere").toString()));
        assertThatThrownBy(() -> create(noOutput)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("encoder.output: expected an output of signature serving_default "
                        + "[code, scaled] (it has 2, so name one)")
                .hasMessageContaining("decoder.path: expected a TensorFlow SavedModel directory");

        Map<String, Object> swapped = pairParams();
        swapped.put("decoder", Map.of("path", tmp.resolve("user/encoder").toString(), "output", "code"));
        assertThatThrownBy(() -> create(swapped)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("decoder: expected a decoder whose input has the shape of the encoder's "
                        + "output 'code' (16), found '28x28x1'");

        Map<String, Object> notAutoencoder = Map.of("architecture", "saved-model", "model",
                Map.of("path", tmp.resolve("user/encoder").toString(), "output", "code"));
        assertThatThrownBy(() -> create(notAutoencoder)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("model: expected a model whose output 'code' has its input's shape 28x28x1 (a "
                        + "reconstruction), found '16'");

        Map<String, Object> alone = Map.of("architecture", "saved-model", "encoder",
                Map.of("path", tmp.resolve("user/encoder").toString(), "output", "code"));
        assertThatThrownBy(() -> create(alone)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("decoder: expected a SavedModel block");
    }

    @Test
    void fitOnOtherShapesAndScoringBeforeFitAreRefused() {
        try (Detector d = create(pairParams())) {
            assertThatThrownBy(() -> d.score(mnist)).isInstanceOf(IllegalStateException.class);
            Batch rows = Batch.wrap(new float[10 * 784], Shape.of(10, 784), null);
            assertThatThrownBy(() -> d.fit(Dataset.of("rows", rows), FitOptions.DEFAULTS))
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("rows: expected instances of shape 28x28x1")
                    .hasMessageContaining("found 784");
            d.fit(Dataset.of("mnist", mnist), FitOptions.DEFAULTS);
            assertThatThrownBy(() -> d.score(rows)).isInstanceOf(DataException.class)
                    .hasMessage("ae: expected instance shape 28x28x1, found 784");
        }
    }

    @Test
    void loadRefusesAStateFileOfAnotherArchitecture() throws Exception {
        Path dir = tmp.resolve("saved-other");
        Map<String, Object> hp;
        try (Detector d = create(pairParams())) {
            d.fit(Dataset.of("mnist", mnist), FitOptions.DEFAULTS);
            Files.createDirectories(dir);
            d.save(dir);
            hp = d.hyperParameters();
        }
        Path props = dir.resolve("ae.properties");
        Files.writeString(props, Files.readString(props).replace("architecture=saved-model", "architecture=conv"));
        assertThatThrownBy(() -> new AeDetectorProvider().load(dir, Params.of(hp), CTX)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("ae.properties: architecture: expected saved-model (as detector.yaml), "
                        + "found conv");
    }

    // ---- the "user's" linear autoencoder -------------------------------------------------------------------------

    /** Mean and top-K principal directions of {@code n × d} rows by subspace iteration. */
    private static void pca(float[] x, int n, int d) {
        mean = new float[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j] / n;
            }
        }
        double[][] v = new double[K][d];
        Random r = new Random(5);
        for (double[] row : v) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
        }
        double[] proj = new double[n];
        for (int iter = 0; iter < 60; iter++) {
            double[][] next = new double[K][d];
            for (int c = 0; c < K; c++) {
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += (x[i * d + j] - mean[j]) * v[c][j];
                    }
                    proj[i] = s;
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < d; j++) {
                        next[c][j] += proj[i] * (x[i * d + j] - mean[j]);
                    }
                }
            }
            for (int c = 0; c < K; c++) { // Gram–Schmidt
                for (int b = 0; b < c; b++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += next[c][j] * next[b][j];
                    }
                    for (int j = 0; j < d; j++) {
                        next[c][j] -= dot * next[b][j];
                    }
                }
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    norm += next[c][j] * next[c][j];
                }
                norm = Math.sqrt(norm);
                for (int j = 0; j < d; j++) {
                    next[c][j] /= norm;
                }
            }
            v = next;
        }
        basis = new float[K][d];
        for (int c = 0; c < K; c++) {
            for (int j = 0; j < d; j++) {
                basis[c][j] = (float) v[c][j];
            }
        }
    }

    /** {@code x̂ = (x − μ)QᵀQ + μ} in double precision. */
    private static float[] project(float[] x, int n) {
        float[] out = new float[x.length];
        for (int i = 0; i < n; i++) {
            double[] z = new double[K];
            for (int c = 0; c < K; c++) {
                for (int j = 0; j < 784; j++) {
                    z[c] += (x[i * 784 + j] - mean[j]) * basis[c][j];
                }
            }
            for (int j = 0; j < 784; j++) {
                double s = mean[j];
                for (int c = 0; c < K; c++) {
                    s += z[c] * basis[c][j];
                }
                out[i * 784 + j] = (float) s;
            }
        }
        return out;
    }

    private static float[][] transposedBasis() {
        float[][] t = new float[784][K];
        for (int c = 0; c < K; c++) {
            for (int j = 0; j < 784; j++) {
                t[j][c] = basis[c][j];
            }
        }
        return t;
    }

    /** The encoder (28×28×1 → code, scaled) or the decoder (code → 28×28×1). */
    private static InferenceModel linear(int in, int out, boolean encoder) {
        Graph g = new Graph();
        try {
            Ops tf = Ops.create(g);
            Shape inShape = encoder ? IMAGE : Shape.of(K);
            Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(encoder
                    ? org.tensorflow.ndarray.Shape.of(-1, 28, 28, 1) : org.tensorflow.ndarray.Shape.of(-1, K)));
            Map<String, InferenceModel.Output> outs = new LinkedHashMap<>();
            if (encoder) {
                Operand<TFloat32> flat = tf.math.sub(tf.reshape(x, tf.constant(new long[] {-1, in})),
                        tf.constant(mean));
                Operand<TFloat32> code = tf.withName("code").linalg.matMul(flat, tf.constant(transposedBasis()));
                outs.put("code", new InferenceModel.Output(code, Shape.of(out)));
                outs.put("scaled", new InferenceModel.Output(tf.math.mul(code, tf.constant(2f)), Shape.of(out)));
            } else {
                Operand<TFloat32> flat = tf.math.add(tf.linalg.matMul(x, tf.constant(basis)), tf.constant(mean));
                outs.put("reconstruction", new InferenceModel.Output(
                        tf.reshape(flat, tf.constant(new long[] {-1, 28, 28, 1})), IMAGE));
            }
            Session s = Sessions.open(g);
            return InferenceModel.of(g, s, x, inShape, outs);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** The whole autoencoder in one graph: 28×28×1 → reconstruction. */
    private static InferenceModel whole() {
        Graph g = new Graph();
        try {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 28, 28, 1)));
            Operand<TFloat32> flat = tf.math.sub(tf.reshape(x, tf.constant(new long[] {-1, 784})),
                    tf.constant(mean));
            Operand<TFloat32> code = tf.linalg.matMul(flat, tf.constant(transposedBasis()));
            Operand<TFloat32> rec = tf.reshape(tf.math.add(tf.linalg.matMul(code, tf.constant(basis)),
                    tf.constant(mean)), tf.constant(new long[] {-1, 28, 28, 1}));
            Session s = Sessions.open(g);
            return InferenceModel.of(g, s, x, IMAGE, Map.of("reconstruction", new InferenceModel.Output(rec, IMAGE)));
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }
}
