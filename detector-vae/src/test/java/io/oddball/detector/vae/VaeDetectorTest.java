package io.oddball.detector.vae;

import static io.oddball.tf.testing.TestData.auroc;
import static io.oddball.tf.testing.TestData.meanScores;
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
import io.oddball.tf.testing.TestData;
import io.oddball.tf.train.TrainingHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VAE on real data: the CIFAR-10 slice of the repository against uniform noise images. */
class VaeDetectorTest {
    /** The CIFAR test detector's parameters (also read by {@link ScoreInNewJvm}). */
    static final Map<String, Object> CIFAR_PARAMS = Map.of("architecture", "conv", "filters", List.of(8, 16),
            "latentDim", 16, "covElbo", Map.of("sim", 0.05), "samples", 2, "inferenceBatchSize", 100);
    private static final FitOptions FIT = new FitOptions(8, 32, 3e-3, 7, 0.1, 0);

    @TempDir
    static Path tmp;

    private static Batch train;
    private static Batch heldOut;
    private static VaeDetector cifar;

    static VaeDetector detector(Map<String, ?> params) {
        Params p = Params.of(params);
        VaeDetector d = new VaeDetectorProvider().create(p, DetectorContext.simple());
        p.finish();
        return d;
    }

    @BeforeAll
    static void fitCifar() {
        Batch all = TestData.cifar(1000, 1);
        train = all.slice(0, 800);
        heldOut = all.slice(800, 1000);
        cifar = detector(CIFAR_PARAMS);
        cifar.fit(Dataset.of("cifar10 first 800", train), FIT);
    }

    @AfterAll
    static void close() {
        cifar.close();
    }

    @Test
    void trainingLowersTheElboAndNoiseScoresAboveHeldOutImages() {
        TrainingHistory h = cifar.history();
        assertThat(h.epochs()).isEqualTo(8);
        assertThat(h.validationLoss()).hasSize(8);
        System.out.println("CIFAR-10 conv VAE: negative ELBO per epoch " + h.loss() + ", validation "
                + h.validationLoss());
        assertThat(h.loss().get(7)).isLessThan(h.loss().get(0));
        assertThat(h.validationLoss().get(7)).isLessThan(h.validationLoss().get(0));
        Scores in = cifar.score(heldOut);
        assertThat(in.featureShape()).isEqualTo(Shape.of(32, 32, 3));
        assertThat(in.hasInstanceScores()).isFalse();
        Batch noise = TestData.noise(200, Shape.of(32, 32, 3), 5);
        double a = auroc(meanScores(in.featureScores(), 200), meanScores(cifar.score(noise).featureScores(), 200));
        System.out.println("CIFAR-10 conv VAE: AUROC noise vs held-out = " + a);
        assertThat(a).isGreaterThan(0.95); // 8 epochs of a 55 k-parameter model: 0.976 here
    }

    @Test
    void fixedSeedGivesRepeatableSampledScores() {
        Batch probe = heldOut.slice(0, 30);
        float[] first = cifar.score(probe).featureScores();
        assertThat(cifar.score(probe).featureScores()).containsExactly(first);
        // the same rows inside a longer batch draw the same latent samples (equal to float rounding: another batch
        // size blocks the sums differently)
        float[] longer = cifar.score(heldOut.slice(0, 60)).featureScores();
        io.oddball.tf.testing.Floats.assertClose("the first 30 rows of 60", java.util.Arrays.copyOf(longer, first.length), first);
        // sampling is real: the decoded draws differ from the mean reconstruction's error
        float[] x = probe.toArray();
        float[] mean = cifar.reconstruct(probe).toArray();
        boolean differs = false;
        for (int i = 0; i < x.length && !differs; i++) {
            float d = x[i] - mean[i];
            differs = first[i] != d * d;
        }
        assertThat(differs).isTrue();
        // a second detector fitted with the same seed gives the same scores; another seed other scores
        Batch few = train.slice(0, 96);
        Map<String, Object> p = Map.of("architecture", "mlp", "hidden", List.of(16), "latentDim", 4,
                "samples", 3);
        FitOptions o = new FitOptions(2, 32, 1e-3, 3, 0, 0);
        try (VaeDetector a = detector(p); VaeDetector b = detector(p); VaeDetector c = detector(p)) {
            a.fit(Dataset.of("few", few), o);
            b.fit(Dataset.of("few", few), o);
            c.fit(Dataset.of("few", few), new FitOptions(2, 32, 1e-3, 4, 0, 0));
            float[] sa = a.score(probe).featureScores();
            assertThat(b.score(probe).featureScores()).containsExactly(sa);
            assertThat(c.score(probe).featureScores()).isNotEqualTo(sa);
        }
    }

    @Test
    void saveLoadGivesBitIdenticalScoresInThisAndANewJvm() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("saved"));
        cifar.save(dir);
        assertThat(dir.resolve("savedmodel/saved_model.pb")).isRegularFile();
        assertThat(Files.readString(dir.resolve("vae.properties"))).contains("architecture=conv")
                .contains("instanceShape=32x32x3").contains("formatVersion=1").contains("samples=2")
                .contains("scoreSeed=7").contains("latentDim=16");
        Batch probe = heldOut.slice(0, 50);
        float[] before = cifar.score(probe).featureScores();
        // As an Encoder: the latent mean, deterministic (no sampling).
        float[] codes = cifar.encode(probe);
        assertThat(cifar.codeShape()).isEqualTo(Shape.of(16));
        assertThat(codes).hasSize(50 * 16).containsExactly(cifar.encode(probe));
        try (Detector loaded = new VaeDetectorProvider().load(dir, Params.of(cifar.hyperParameters()),
                DetectorContext.simple())) {
            assertThat(loaded.inputShape()).isEqualTo(Shape.of(32, 32, 3));
            assertThat(loaded.score(probe).featureScores()).containsExactly(before);
            assertThat(((io.oddball.api.Encoder) loaded).encode(probe)).containsExactly(codes);
        }
        Path in = tmp.resolve("probe.npy");
        Path out = tmp.resolve("scores.npy");
        Npy.write(in, probe.shape().dims(), probe.toArray());
        TestData.runInNewJvm(tmp.resolve("child.log"), ScoreInNewJvm.class, dir.toString(), in.toString(),
                out.toString());
        // another process: the same graph, equal to float rounding (bit-identical on the machines tried)
        io.oddball.tf.testing.Floats.assertClose("feature scores in a new JVM", Npy.readFloats(out).data(), before);

        Map<String, Object> other = new LinkedHashMap<>(cifar.hyperParameters());
        other.put("samples", 3);
        assertThatThrownBy(() -> new VaeDetectorProvider().load(dir, Params.of(other), DetectorContext.simple()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("samples: expected 3");
        other.put("samples", 2);
        other.put("latentDim", 17);
        assertThatThrownBy(() -> new VaeDetectorProvider().load(dir, Params.of(other), DetectorContext.simple()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("parameters: expected");
    }

    @Test
    void scoreIsThreadSafe() throws Exception {
        Batch probe = heldOut.slice(0, 40);
        float[] expected = cifar.score(probe).featureScores();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> fs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
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
    void learnedAndDataDiagonalLikelihoodsTrain() {
        Batch few = train.slice(0, 128);
        for (String diag : List.of("learned", "data")) {
            try (VaeDetector d = detector(Map.of("architecture", "mlp", "hidden", List.of(32), "latentDim", 4,
                    "covElbo", Map.of("diag", diag), "beta", 0.5))) {
                d.fit(Dataset.of("few", few), new FitOptions(4, 32, 2e-3, 1, 0, 0));
                List<Double> loss = d.history().loss();
                System.out.println("MLP VAE, covElbo diag " + diag + ": negative ELBO per epoch " + loss);
                assertThat(loss).allMatch(Double::isFinite);
                assertThat(loss.get(3)).isLessThan(loss.get(0));
                assertThat(d.score(few.slice(0, 2)).featureScores()).hasSize(2 * 3072);
            }
        }
    }

    @Test
    void alibiCifar10HasThePeersParametersAndTrainsAStep() {
        try (VaeDetector d = detector(Map.of("architecture", "alibi-cifar10"))) {
            assertThat(d.config().network().latentDim()).isEqualTo(1024);
            d.fit(Dataset.of("cifar", train.slice(0, 16)), new FitOptions(1, 16, 1e-3, 0, 0, 0));
            // the PyTorch peer's VAE: conv stack 1 183 424, two heads 2 · (8192 · 1024 + 1024), decoder 2 889 027
            assertThat(d.parameterCount()).isEqualTo(1_183_424 + 2 * (8192L * 1024 + 1024) + 2_889_027);
            assertThat(d.history().steps()).isEqualTo(1);
            assertThat(d.score(train.slice(0, 3)).featureScores()).hasSize(3 * 3072);
        }
    }

    @Test
    void badInputGivesOneClearError() {
        assertThatThrownBy(() -> cifar.score(TestData.noise(2, Shape.of(28, 28, 1), 1)))
                .isInstanceOf(DataException.class).hasMessage("vae: expected instance shape 32x32x3, found 28x28x1");
        float[] x = heldOut.slice(0, 2).toArray();
        x[5] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> cifar.score(Batch.wrap(x, Shape.of(2, 32, 32, 3), null)))
                .isInstanceOf(DataException.class)
                .hasMessage("vae: scored batch: instance 0, feature 5: expected a finite value, found Infinity");
    }
}
