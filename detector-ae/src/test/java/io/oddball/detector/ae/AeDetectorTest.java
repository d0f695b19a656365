package io.oddball.detector.ae;

import static io.oddball.detector.ae.Fixtures.auroc;
import static io.oddball.detector.ae.Fixtures.meanScores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Npy;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.api.result.Scores;
import io.oddball.tf.train.TrainingHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The autoencoder on real data: CIFAR-10 and MNIST/Fashion-MNIST slices of the repository, tabular rows. */
class AeDetectorTest {
    /** The CIFAR test detector's parameters (also read by {@link ScoreInNewJvm}). */
    static final Map<String, Object> CIFAR_PARAMS = Map.of("architecture", "conv", "filters", List.of(16, 32),
            "latentDim", 32, "kernel", 4, "stride", 2, "outputActivation", "sigmoid", "inferenceBatchSize", 100);

    @TempDir
    static Path tmp;

    private static Batch cifarTrain;
    private static Batch cifarHeldOut;
    private static AeDetector cifar;

    @BeforeAll
    static void fitCifar() {
        Batch all = Fixtures.cifar(1000, 1);
        cifarTrain = all.slice(0, 800);
        cifarHeldOut = all.slice(800, 1000);
        cifar = Fixtures.detector(CIFAR_PARAMS);
        cifar.fit(Dataset.of("cifar10 first 800", cifarTrain), new FitOptions(6, 32, 2e-3, 1, 0.1, 3));
    }

    @AfterAll
    static void close() {
        cifar.close();
    }

    @Test
    void cifarConvAeScoresNoiseAboveHeldOutImages() {
        TrainingHistory h = cifar.history();
        assertThat(h.epochs()).isEqualTo(6);
        assertThat(h.validationLoss()).hasSize(6);
        assertThat(h.loss().get(5)).isLessThan(h.loss().get(0));
        Scores in = cifar.score(cifarHeldOut);
        assertThat(in.featureShape()).isEqualTo(Shape.of(32, 32, 3));
        assertThat(in.hasInstanceScores()).isFalse();
        Batch noise = Fixtures.noise(200, Shape.of(32, 32, 3), 5);
        double a = auroc(meanScores(in.featureScores(), 200), meanScores(cifar.score(noise).featureScores(), 200));
        System.out.println("CIFAR-10 conv AE: AUROC noise vs held-out = " + a);
        assertThat(a).isGreaterThan(0.99);
        // feature score = (x - x̂)², element by element
        Batch one = cifarHeldOut.slice(0, 1);
        float[] x = one.toArray();
        float[] xhat = cifar.reconstruct(one).toArray();
        float[] fs = cifar.score(one).featureScores();
        for (int i = 0; i < x.length; i++) {
            float d = x[i] - xhat[i];
            assertThat(fs[i]).isEqualTo(d * d);
        }
    }

    @Test
    void mnistConvAeScoresFashionMnistAboveHeldOutDigits() {
        Batch mnist = Fixtures.idx("mnist/mnist-test-2000-images-idx3-ubyte.gz", 2000);
        Batch fashion = Fixtures.idx("fashion-mnist/fashion-mnist-test-2000-images-idx3-ubyte.gz", 500);
        try (AeDetector d = Fixtures.detector(Map.of("filters", List.of(16, 32), "latentDim", 16))) {
            d.fit(Dataset.of("mnist", mnist.slice(0, 1500)), new FitOptions(8, 32, 2e-3, 2, 0, 0));
            double[] in = meanScores(d.score(mnist.slice(1500, 2000)).featureScores(), 500);
            double[] out = meanScores(d.score(fashion).featureScores(), 500);
            double a = auroc(in, out);
            System.out.println("MNIST conv AE: AUROC Fashion-MNIST vs held-out MNIST = " + a);
            assertThat(a).isGreaterThan(0.9);
        }
    }

    @Test
    void tabularMlpAeFlagsPlantedOutliers() {
        Random r = new Random(11);
        int f = 10;
        double[][] mix = new double[3][f];
        for (double[] row : mix) {
            for (int j = 0; j < f; j++) {
                row[j] = r.nextGaussian();
            }
        }
        float[] train = rows(r, mix, 600, false);
        float[] normal = rows(r, mix, 200, false);
        float[] planted = rows(r, mix, 20, true);
        try (AeDetector d = Fixtures.detector(Map.of("architecture", "mlp", "hidden", List.of(16), "latentDim", 3))) {
            d.fit(Dataset.of("rows", Batch.wrap(train, Shape.of(600, f), null)), new FitOptions(60, 32, 5e-3, 3, 0,
                    0));
            double[] in = meanScores(d.score(Batch.wrap(normal, Shape.of(200, f), null)).featureScores(), 200);
            double[] out = meanScores(d.score(Batch.wrap(planted, Shape.of(20, f), null)).featureScores(), 20);
            double a = auroc(in, out);
            System.out.println("tabular MLP AE: AUROC planted vs normal = " + a);
            assertThat(a).isGreaterThan(0.97);
        }
    }

    /** Rows on a 3-factor linear model plus small noise; outliers break the correlations (same marginal scale). */
    private static float[] rows(Random r, double[][] mix, int n, boolean outliers) {
        int f = mix[0].length;
        float[] x = new float[n * f];
        for (int i = 0; i < n; i++) {
            double[] z = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            for (int j = 0; j < f; j++) {
                double v = 0;
                for (int k = 0; k < 3; k++) {
                    v += z[k] * mix[k][j];
                }
                x[i * f + j] = (float) (outliers ? r.nextGaussian() * 1.7 : v + 0.1 * r.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void sameSeedSameScores() {
        Batch rows = Fixtures.noise(64, Shape.of(6), 1);
        Map<String, Object> p = Map.of("architecture", "mlp", "hidden", List.of(8), "latentDim", 2);
        FitOptions o = new FitOptions(3, 16, 1e-2, 9, 0.25, 0);
        try (AeDetector a = Fixtures.detector(p); AeDetector b = Fixtures.detector(p)) {
            a.fit(Dataset.of("rows", rows), o);
            b.fit(Dataset.of("rows", rows), o);
            assertThat(b.score(rows).featureScores()).containsExactly(a.score(rows).featureScores());
        }
    }

    @Test
    void bfloat16InferenceAgreesWithFloat32OnTheRanking() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("saved-bf16"));
        cifar.save(dir);
        Batch probe = cifarHeldOut.slice(0, 100);
        double[] f32 = meanScores(cifar.score(probe).featureScores(), probe.size());
        double[] bf16;
        java.util.Map<String, String> settings = new java.util.HashMap<>(DetectorContext.simple().settings());
        settings.put(DetectorContext.PRECISION, "bfloat16");
        try (Detector loaded = new AeDetectorProvider().load(dir, Params.of(cifar.hyperParameters()),
                DetectorContext.simple(settings))) {
            bf16 = meanScores(loaded.score(probe).featureScores(), probe.size());
        }
        // approximately equal scores (bfloat16 keeps 8 bits of mantissa) and the same order of almost every pair
        int concordant = 0;
        int pairs = 0;
        for (int i = 0; i < f32.length; i++) {
            assertThat(bf16[i]).isCloseTo(f32[i], org.assertj.core.api.Assertions.withinPercentage(5));
            for (int j = i + 1; j < f32.length; j++) {
                pairs++;
                concordant += Math.signum(f32[i] - f32[j]) == Math.signum(bf16[i] - bf16[j]) ? 1 : 0;
            }
        }
        assertThat((double) concordant / pairs).isGreaterThan(0.98);
    }

    @Test
    void saveLoadGivesBitIdenticalScoresInThisAndANewJvm() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("saved"));
        cifar.save(dir);
        assertThat(dir.resolve("ae.properties")).isRegularFile();
        assertThat(dir.resolve("savedmodel/saved_model.pb")).isRegularFile();
        assertThat(Files.readString(dir.resolve("ae.properties"))).contains("architecture=conv")
                .contains("instanceShape=32x32x3").contains("formatVersion=1");
        Batch probe = cifarHeldOut.slice(0, 50);
        float[] before = cifar.score(probe).featureScores();
        try (Detector loaded = new AeDetectorProvider().load(dir, Params.of(cifar.hyperParameters()), DetectorContext.simple())) {
            assertThat(loaded.inputShape()).isEqualTo(Shape.of(32, 32, 3));
            assertThat(loaded.score(probe).featureScores()).containsExactly(before);
        }
        Path in = tmp.resolve("probe.npy");
        Path out = tmp.resolve("scores.npy");
        Npy.write(in, probe.shape().dims(), probe.toArray());
        io.oddball.tf.testing.TestData.runInNewJvm(tmp.resolve("child.log"), ScoreInNewJvm.class, dir.toString(), in.toString(),
                out.toString());
        // another process: the same graph, equal to float rounding (bit-identical on the machines tried)
        io.oddball.tf.testing.Floats.assertClose("feature scores in a new JVM", Npy.readFloats(out).data(), before);
    }

    @Test
    void scoreIsThreadSafe() throws Exception {
        Batch probe = cifarHeldOut.slice(0, 40);
        float[] expected = cifar.score(probe).featureScores();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(pool.submit(() -> cifar.score(probe).featureScores()));
            }
            for (Future<float[]> f : fs) {
                assertThat(f.get()).containsExactly(expected);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void badInputAndBadFilesGiveOneClearError() throws IOException {
        assertThatThrownBy(() -> cifar.score(Fixtures.noise(2, Shape.of(28, 28, 1), 1)))
                .isInstanceOf(DataException.class).hasMessage("ae: expected instance shape 32x32x3, found 28x28x1");
        float[] x = cifarHeldOut.slice(0, 2).toArray();
        x[5] = Float.NaN;
        assertThatThrownBy(() -> cifar.score(Batch.wrap(x, Shape.of(2, 32, 32, 3), null)))
                .isInstanceOf(DataException.class)
                .hasMessage("ae: scored batch: instance 0, feature 5: expected a finite value, found NaN");
        try (AeDetector alibi = Fixtures.detector(Map.of("architecture", "alibi-cifar10"))) {
            assertThatThrownBy(() -> alibi.fit(Dataset.of("mnist", Fixtures.noise(4, Shape.of(28, 28, 1), 2)),
                    FitOptions.DEFAULTS)).isInstanceOf(DataException.class)
                    .hasMessageContaining("expected instances of shape 32x32x3, found 28x28x1");
        }
        Path dir = Files.createDirectories(tmp.resolve("broken"));
        cifar.save(dir);
        Map<String, Object> hp = cifar.hyperParameters();
        Map<String, Object> other = new java.util.LinkedHashMap<>(hp);
        other.put("latentDim", 33);
        assertThatThrownBy(() -> new AeDetectorProvider().load(dir, Params.of(other), DetectorContext.simple()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("parameters: expected");
        Path props = dir.resolve("ae.properties");
        String saved = Files.readString(props);
        for (String huge : java.util.List.of("2147483647x32x3", "65536x65536x3", "-4x32x3")) {
            // a corrupted shape is a format error of the file, never an internal error of the layers' arithmetic
            Files.writeString(props, saved.replace("instanceShape=32x32x3", "instanceShape=" + huge));
            assertThatThrownBy(() -> new AeDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple()))
                    .as(huge).isInstanceOf(ModelFormatException.class).hasMessageContaining("ae.properties: ")
                    .hasMessageContaining(huge);
        }
        Files.writeString(props, saved.replace("formatVersion=1", "formatVersion=7"));
        assertThatThrownBy(() -> new AeDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("formatVersion: expected 1 to 1, found 7; saved by a newer Oddball");
        Files.delete(props);
        assertThatThrownBy(() -> new AeDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("ae.properties: expected the autoencoder state file, found none");
    }

    @Test
    void alibiAndScreenArchitecturesTrainAStepAndScore() {
        Batch few = cifarTrain.slice(0, 64);
        for (String arch : List.of("alibi-cifar10", "screen-cifar")) {
            try (AeDetector d = Fixtures.detector(Map.of("architecture", arch))) {
                d.fit(Dataset.of("cifar", few), new FitOptions(1, 32, 1e-3, 0, 0, 0));
                assertThat(d.history().steps()).isEqualTo(2);
                Scores s = d.score(few.slice(0, 3));
                assertThat(s.featureScores()).hasSize(3 * 3072);
            }
        }
    }
}
