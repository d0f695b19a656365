package io.oddball.detector.llr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.Params;
import io.oddball.api.Progress;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Npy;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.api.result.Scores;
import io.oddball.tf.Tensors;
import io.oddball.tf.testing.TestData;
import io.oddball.tf.train.TrainingHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The LLR detector on the Fashion-MNIST slice of the repository, with a small PixelCNN++ pair. */
class LlrDetectorTest {
    static final Map<String, Object> SMALL = Map.of("numResnet", 1, "numHierarchies", 1, "numFilters", 8,
            "numLogisticMix", 1, "dropout", 0.1, "mutationRate", 0.2, "emaDecay", 0.9, "inferenceBatchSize", 50);
    private static final FitOptions FIT = new FitOptions(3, 16, 3e-3, 5, 0.0, 0);

    @TempDir
    static Path tmp;

    private static Batch fashion;
    private static Batch digits;
    private static LlrDetector fitted;

    static LlrDetector detector(Map<String, ?> params, DetectorContext context) {
        Params p = Params.of(params);
        LlrDetector d = new LlrDetectorProvider().create(p, context);
        p.finish();
        return d;
    }

    /** The first n images of a shipped IDX slice as 8-bit values. */
    static Batch bytes(String file, int n) {
        Batch b = TestData.idx(file, n);
        float[] x = b.toArray();
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.round(x[i] * 255f);
        }
        return Batch.wrap(x, b.shape(), null);
    }

    static Dataset data(Batch b) {
        return Dataset.of("fashion slice", b);
    }

    @BeforeAll
    static void fit() {
        fashion = bytes("fashion-mnist/fashion-mnist-test-2000-images-idx3-ubyte.gz", 160);
        digits = bytes("mnist/mnist-test-2000-images-idx3-ubyte.gz", 40);
        fitted = detector(SMALL, DetectorContext.simple());
        fitted.fit(data(fashion.slice(0, 120)), FIT);
    }

    @Test
    void featureScoresAreTheNegatedPerPixelLogRatioAndEveryScoreIsMadeOfTheTwoLikelihoodsAndThePngLength() {
        Batch held = fashion.slice(120, 140);
        Scores s = fitted.score(held);
        Map<String, float[]> alt = fitted.alternativeScores(held);
        assertThat(fitted.scoreName()).isEqualTo(LlrScores.COMBINED);
        assertThat(alt).containsOnlyKeys(LlrScores.LLR, LlrScores.LIKELIHOOD, LlrScores.COMPLEXITY,
                LlrScores.TYPICALITY);
        // an empty batch: every score, empty
        Batch none = fashion.slice(0, 0);
        assertThat(fitted.score(none).instanceScores()).isEmpty();
        assertThat(fitted.alternativeScores(none)).containsOnlyKeys(LlrScores.LLR, LlrScores.LIKELIHOOD,
                LlrScores.COMPLEXITY, LlrScores.TYPICALITY).allSatisfy((k, v) -> assertThat(v).isEmpty());
        float[] sem = fitted.logProb(held, true);
        float[] bg = fitted.logProb(held, false);
        float[] fs = s.featureScores();
        assertThat(fs).hasSize(20 * 784);
        for (int i = 0; i < fs.length; i++) {
            assertThat(fs[i]).isCloseTo(bg[i] - sem[i], Offset.offset(1e-4f));
        }
        // no validation split: the statistics are those of the 120 training images
        LlrScores.Calibration c = fitted.calibration();
        assertThat(c.images()).isEqualTo(120);
        assertThat(c.valid()).isTrue();
        long[] png = LlrScores.pngBits(held.toArray(), 20, Shape.of(28, 28, 1));
        for (int i = 0; i < 20; i++) {
            double llr = 0;
            double lp = 0;
            for (int j = 0; j < 784; j++) {
                llr += fs[i * 784 + j];
                lp += sem[i * 784 + j];
                assertThat(sem[i * 784 + j]).isLessThanOrEqualTo(0f);
            }
            // a 28x28 8-bit image: more than the PNG header, less than its raw bytes and the header
            assertThat(png[i]).isBetween(8L * 60, 8L * (784 + 100));
            double complexity = (-lp / Math.log(2) - png[i]) / 784;
            double typicality = Math.abs(-lp - c.nllMean()) / c.nllSd();
            double z = Math.max((llr - c.llrMean()) / c.llrSd(), Math.max((complexity - c.complexityMean())
                    / c.complexitySd(), (typicality - c.typicalityMean()) / c.typicalitySd()));
            // -ln of the smallest empirical tail probability among the 120 training images, counted here
            double tail = Math.max(tail(c.sorted()[0], llr), Math.max(tail(c.sorted()[1], complexity),
                    tail(c.sorted()[2], typicality)));
            double combined = tail + 1e-3 * z;
            // sums of 784 float log-probabilities: 1e-2 nats; the standardised scores divide by deviations >> 1
            assertThat((double) alt.get(LlrScores.LLR)[i]).isCloseTo(llr, Offset.offset(1e-2));
            assertThat((double) alt.get(LlrScores.LIKELIHOOD)[i]).isCloseTo(-lp, Offset.offset(1e-2));
            assertThat((double) alt.get(LlrScores.COMPLEXITY)[i]).isCloseTo(complexity, Offset.offset(1e-4));
            assertThat((double) alt.get(LlrScores.TYPICALITY)[i]).isCloseTo(typicality, Offset.offset(1e-3));
            assertThat((double) s.instanceScores()[i]).isCloseTo(combined, Offset.offset(1e-3));
            assertThat(c.sorted()).hasDimensions(3, 120);
        }
    }

    @Test
    void withScoreLlrTheInstanceScoreIsTheSumOfTheFeatureScoresAndTheCombinedScoreIsAnAlternative() {
        Map<String, Object> params = new java.util.HashMap<>(SMALL);
        params.put("score", "llr");
        try (LlrDetector d = detector(params, DetectorContext.simple())) {
            d.fit(data(fashion.slice(0, 40)), new FitOptions(1, 16, 3e-3, 5, 0.25, 0));
            // a validation split: the statistics are those of the 10 images it held out
            assertThat(d.calibration().images()).isEqualTo(10);
            Batch held = fashion.slice(120, 130);
            Scores s = d.score(held);
            for (int i = 0; i < 10; i++) {
                double sum = 0;
                for (int j = 0; j < 784; j++) {
                    sum += s.featureScores()[i * 784 + j];
                }
                assertThat((double) s.instanceScores()[i]).isCloseTo(sum, Offset.offset(1e-2));
            }
            assertThat(d.alternativeScores(held)).containsOnlyKeys(LlrScores.COMBINED, LlrScores.LIKELIHOOD,
                    LlrScores.COMPLEXITY, LlrScores.TYPICALITY);
            assertThat(d.hyperParameters()).containsEntry("score", "llr").containsEntry("mutation", "different");
        }
    }

    /** {@code −ln((1 + #{values >= v}) / (n + 1))} by counting. */
    private static double tail(float[] values, double v) {
        int above = 0;
        for (float x : values) {
            if (x >= v) {
                above++;
            }
        }
        return -Math.log((1.0 + above) / (values.length + 1.0));
    }

    /** Constant images: as likely as can be, the ratio near 0, but far from the typical set and simple as PNGs. */
    @Test
    void theDefaultScoreFlagsConstantImages() {
        Batch held = fashion.slice(120, 160);
        float[] flat = new float[40 * 784];
        for (int i = 0; i < 40; i++) {
            java.util.Arrays.fill(flat, i * 784, (i + 1) * 784, (i * 53) % 256);
        }
        double[] in = toDoubles(fitted.score(held).instanceScores());
        double[] out = toDoubles(fitted.score(Batch.wrap(flat, Shape.of(40, 28, 28, 1), null)).instanceScores());
        assertThat(TestData.auroc(in, out)).isGreaterThan(0.95);
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** Evaluation scores then asks for the likelihood of the same values: it comes from the scoring run. */
    @Test
    void theLikelihoodAfterScoringIsTheOneOfThatBatchAndEqualsAFreshRun() {
        Batch a = fashion.slice(120, 130);
        Batch b = fashion.slice(130, 140);
        float[] freshA = fitted.alternativeScores(a).get(LlrDetector.LIKELIHOOD);
        float[] freshB = fitted.alternativeScores(b).get(LlrDetector.LIKELIHOOD);
        fitted.score(a);
        // a copy of the same values (a pipeline prepares the batch again) gets the scoring run's likelihood
        assertThat(fitted.alternativeScores(Batch.wrap(a.toArray(), a.shape(), null)).get(LlrDetector.LIKELIHOOD))
                .containsExactly(freshA);
        fitted.score(a);
        assertThat(fitted.alternativeScores(b).get(LlrDetector.LIKELIHOOD)).containsExactly(freshB);
    }

    @Test
    void theSemanticModelFindsItsOwnDataMoreLikelyThanNoise() {
        Batch held = fashion.slice(120, 160);
        Batch noise = TestData.noise(40, Shape.of(28, 28, 1), 3);
        float[] n = noise.toArray();
        for (int i = 0; i < n.length; i++) {
            n[i] = Math.round(n[i] * 255f);
        }
        float[] heldLikelihood = fitted.alternativeScores(held).get(LlrDetector.LIKELIHOOD);
        float[] noiseLikelihood = fitted.alternativeScores(Batch.wrap(n, noise.shape(), null))
                .get(LlrDetector.LIKELIHOOD);
        assertThat(TestData.auroc(toDoubles(heldLikelihood), toDoubles(noiseLikelihood))).isGreaterThan(0.99);
    }

    @Test
    void scoresAreIdenticalAfterSaveAndLoad() throws Exception {
        Path dir = tmp.resolve("saved");
        Files.createDirectories(dir);
        fitted.save(dir);
        Map<String, Object> hp = fitted.hyperParameters();
        try (var loaded = new LlrDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple())) {
            Batch b = digits.slice(0, 10);
            assertThat(loaded.score(b).instanceScores()).containsExactly(fitted.score(b).instanceScores());
            assertThat(loaded.inputShape()).isEqualTo(Shape.of(28, 28, 1));
        }
        // the SavedModel holds stock TensorFlow ops only (any runtime loads it); run as it is, without the fused
        // ops, it gives the same scores up to float rounding (a score sums 784 per-pixel log-ratios: 2e-5 each)
        String graph = new String(Files.readAllBytes(dir.resolve(LlrModelFiles.SAVED_MODEL).resolve(
                "saved_model.pb")), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(graph).contains("Conv").doesNotContain("Oddball");
        java.util.Map<String, String> settings = new java.util.HashMap<>(DetectorContext.simple().settings());
        settings.put(DetectorContext.OP_LIBRARY, "off");
        try (var stock = new LlrDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple(settings))) {
            Batch b = digits.slice(0, 10);
            float[] ours = fitted.score(b).instanceScores();
            float[] theirs = stock.score(b).instanceScores();
            for (int i = 0; i < ours.length; i++) {
                assertThat((double) theirs[i]).as("instance %d", i).isCloseTo(ours[i], Offset.offset(784 * 2e-5));
            }
        }
        // saved by an earlier Oddball (format 1): no statistics and no score key; it scores -LLR, what its threshold
        // was inferred on, and refuses a score that needs the statistics
        String props = Files.readString(dir.resolve(LlrModelFiles.PROPERTIES));
        assertThat(props).contains("formatVersion=2").contains("calibration.nllMean=");
        assertThat(dir.resolve("calibration.npy")).isRegularFile();
        Files.writeString(dir.resolve(LlrModelFiles.PROPERTIES), props.replaceAll("(?m)^calibration\\..*\n", "")
                .replace("formatVersion=2", "formatVersion=1"));
        Map<String, Object> old = new java.util.HashMap<>(hp);
        old.remove("score");
        try (var loaded = (LlrDetector) new LlrDetectorProvider().load(dir, Params.of(old),
                DetectorContext.simple())) {
            assertThat(loaded.scoreName()).isEqualTo(LlrScores.LLR);
            assertThat(loaded.calibration()).isNull();
            Batch b = digits.slice(0, 3);
            assertThat(loaded.alternativeScores(b)).containsOnlyKeys(LlrScores.LIKELIHOOD, LlrScores.COMPLEXITY);
            float[] fs = loaded.score(b).featureScores();
            double sum = 0;
            for (int j = 0; j < 784; j++) {
                sum += fs[j];
            }
            assertThat((double) loaded.score(b).instanceScores()[0]).isCloseTo(sum, Offset.offset(1e-2));
        }
        assertThatThrownBy(() -> new LlrDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple()))
                .hasMessageContaining(LlrModelFiles.PROPERTIES + ": expected the calibration statistics")
                .hasMessageContaining("score 'combined'");
        Files.writeString(dir.resolve(LlrModelFiles.PROPERTIES), props.replace("calibration.nllSd=",
                "calibration.nllSd=-"));
        assertThatThrownBy(() -> new LlrDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple()))
                .hasMessageContaining("calibration: expected finite means, positive finite standard deviations");
        // the held-out scores: missing, another count, not sorted
        Files.writeString(dir.resolve(LlrModelFiles.PROPERTIES), props);
        Path scores = dir.resolve(LlrModelFiles.CALIBRATION);
        io.oddball.api.data.Npy.FloatArray kept = io.oddball.api.data.Npy.readFloats(scores);
        Files.delete(scores);
        assertThatThrownBy(() -> new LlrDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple()))
                .hasMessageContaining("calibration.npy: expected the held-out scores");
        io.oddball.api.data.Npy.write(scores, new int[] {3, 2}, new float[6]);
        assertThatThrownBy(() -> new LlrDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple()))
                .hasMessageContaining("calibration.npy: expected float32 [3, 120]");
        float[] shuffled = kept.data().clone();
        float first = shuffled[0];
        shuffled[0] = shuffled[1] + 1;
        shuffled[1] = first;
        io.oddball.api.data.Npy.write(scores, kept.shape(), shuffled);
        assertThatThrownBy(() -> new LlrDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple()))
                .hasMessageContaining("sorted finite held-out scores");
        Files.writeString(dir.resolve(LlrModelFiles.PROPERTIES), props.replaceAll("parametersPerModel=\\d+",
                "parametersPerModel=7"));
        assertThatThrownBy(() -> new LlrDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple()))
                .hasMessageContaining("parametersPerModel: expected");
    }

    @Test
    void scoringRoundsAndClipsToEightBitValues() {
        Batch b = fashion.slice(120, 122);
        float[] x = b.toArray();
        float[] shifted = x.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] = x[i] == 0 ? -7f : x[i] == 255 ? 300f : x[i] + 0.3f;
        }
        assertThat(fitted.score(Batch.wrap(shifted, b.shape(), null)).instanceScores())
                .containsExactly(fitted.score(b).instanceScores());
    }

    @Test
    void samplesAreEightBitImagesOfTheInputShape() {
        float[] s = fitted.sample(2, true, 1);
        assertThat(s).hasSize(2 * 784);
        for (float v : s) {
            assertThat(v).isBetween(0f, 255f);
            assertThat(v).isEqualTo((float) Math.rint(v));
        }
        assertThatThrownBy(() -> fitted.sample(0, true, 1)).hasMessageContaining("expected n >= 1");
    }

    @Test
    void fitRejectsValuesThatAreNotEightBitPixels() {
        Batch scaled = TestData.idx("fashion-mnist/fashion-mnist-test-2000-images-idx3-ubyte.gz", 4);
        LlrDetector d = detector(SMALL, DetectorContext.simple());
        assertThatThrownBy(() -> d.fit(data(scaled), FIT)).isInstanceOf(DataException.class)
                .hasMessageContaining("expected an 8-bit pixel value (an integer 0-255, no scale preprocessing)")
                .hasMessageContaining("instance 0");
        assertThatThrownBy(() -> d.score(fashion.slice(0, 1))).hasMessageContaining("not fitted");
    }

    @Test
    void badParametersAreReportedTogether() {
        Params p = Params.of(Map.of("receptiveFieldDims", List.of(4, 3), "dropout", 1.5, "mutationRate", -0.1,
                "lrSchedule", "step", "backgroundEpochs", -1, "numHierarchies", 30, "score", "best",
                "mutation", "swap"));
        new LlrDetectorProvider().create(p, DetectorContext.simple());
        assertThatThrownBy(p::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("receptiveFieldDims").hasMessageContaining("dropout")
                .hasMessageContaining("mutationRate").hasMessageContaining("lrSchedule")
                .hasMessageContaining("backgroundEpochs").hasMessageContaining("score").hasMessageContaining("mutation")
                .hasMessageContaining("numHierarchies: expected an integer from 1 to 10 (each halves the image), "
                        + "found 30");
        // within the bound but too many for 28x28 images (28, 14, 7): a configuration error too, at fit
        Map<String, Object> five = new java.util.HashMap<>(SMALL);
        five.put("numHierarchies", 5);
        try (LlrDetector d = detector(five, DetectorContext.simple())) {
            assertThatThrownBy(() -> d.fit(data(fashion.slice(0, 8)), FIT)).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("detector.numHierarchies: expected at most 3 for instances of 28x28x1 "
                            + "(each hierarchy after the first halves an even height and width), found 5");
        }
    }

    @Test
    void mutationReplacesTheGivenFractionByOtherValuesUniformly() {
        mutation(false, 0.3);
    }

    @Test
    void rensMutationAddsAUniformValueModulo256AndSoKeepsOneValueIn256() {
        mutation(true, 0.3 * 255 / 256);
    }

    private static void mutation(boolean ren, double changedFraction) {
        int n = 256 * 400;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 256;
        }
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> m = LlrGraphs.mutate(tf, tf.constant(x), 0.3, ren, 9);
            float[] y;
            try (Result out = s.runner().fetch(m).run()) {
                y = Tensors.toFloats(Tensors.get(out, 0, TFloat32.class));
            }
            int changed = 0;
            int[] delta = new int[256];
            for (int i = 0; i < n; i++) {
                assertThat(y[i]).isBetween(0f, 255f).isEqualTo((float) Math.rint(y[i]));
                if (y[i] != x[i]) {
                    changed++;
                    delta[(int) ((y[i] - x[i] + 256) % 256)]++;
                }
            }
            assertThat(changed / (double) n).isCloseTo(changedFraction, Offset.offset(0.01));
            assertThat(delta[0]).isZero();
            double expected = changed / 255.0;
            double chi2 = 0;
            for (int d = 1; d < 256; d++) {
                chi2 += (delta[d] - expected) * (delta[d] - expected) / expected;
            }
            // 254 degrees of freedom: mean 254, sd about 22.5; 360 is beyond 4.7 sd.
            assertThat(chi2).isLessThan(360);
        }
    }

    @Test
    void anInterruptedFitContinuesFromItsLastEpochCheckpoint() {
        Path ckpt = tmp.resolve("resume.checkpoint");
        Batch train = fashion.slice(0, 48);
        FitOptions three = new FitOptions(3, 16, 3e-3, 11, 0.0, 0);
        // Stop as soon as the first epoch's checkpoint exists.
        LlrDetector first = detector(SMALL, context(ckpt, false,
                () -> Files.exists(ckpt.resolve("last/progress.properties"))));
        first.fit(data(train), three);
        assertThat(first.history().outcome()).isEqualTo(TrainingHistory.Outcome.STOP_REQUESTED);
        assertThat(first.history().epochs()).isEqualTo(1);
        assertThat(ckpt.resolve("last/progress.properties")).exists();

        LlrDetector other = detector(SMALL, context(ckpt, true, () -> false));
        assertThatThrownBy(() -> other.fit(data(train), new FitOptions(3, 16, 3e-3, 12, 0.0, 0)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("belongs to another fit");

        LlrDetector resumed = detector(SMALL, context(ckpt, true, () -> false));
        resumed.fit(data(train), three);
        assertThat(resumed.history().outcome()).isEqualTo(TrainingHistory.Outcome.COMPLETED);
        assertThat(resumed.history().epochs()).isEqualTo(3);
        assertThat(resumed.history().loss().get(0)).isEqualTo(first.history().loss().get(0));
        assertThat(ckpt).doesNotExist();
        for (float v : resumed.score(train.slice(0, 2)).instanceScores()) {
            assertThat(v).isFinite();
        }
    }

    @Test
    void afterBackgroundEpochsTheBackgroundModelKeepsItsWeightsAndTheSemanticModelTrainsOn() {
        Batch train = fashion.slice(0, 48);
        Map<String, Object> constant = new java.util.HashMap<>(SMALL);
        constant.put("lrSchedule", "constant");
        Map<String, Object> early = new java.util.HashMap<>(constant);
        early.put("backgroundEpochs", 1);
        LlrDetector oneEpoch = detector(constant, DetectorContext.simple());
        oneEpoch.fit(data(train), new FitOptions(1, 16, 3e-3, 11, 0.0, 0));
        LlrDetector threeEpochs = detector(early, DetectorContext.simple());
        threeEpochs.fit(data(train), new FitOptions(3, 16, 3e-3, 11, 0.0, 0));
        assertThat(threeEpochs.history().epochs()).isEqualTo(3);
        assertThat(threeEpochs.history().outcome()).isEqualTo(TrainingHistory.Outcome.COMPLETED);
        // the same first epoch (constant rate, same batches and draws): the background model is that epoch's
        Map<String, float[]> a = oneEpoch.featureMaps(train);
        Map<String, float[]> b = threeEpochs.featureMaps(train);
        assertThat(b.get(LlrDetector.LOG_PROB_BACKGROUND)).containsExactly(a.get(LlrDetector.LOG_PROB_BACKGROUND));
        // while the semantic model trained two epochs more and fits its data better
        assertThat(mean(b.get(LlrDetector.LOG_PROB_SEMANTIC))).isGreaterThan(mean(a.get(LlrDetector.LOG_PROB_SEMANTIC)));
    }

    @Test
    void aFitStoppedAfterItsBackgroundEpochsContinuesToTheSameDetector() {
        Path ckpt = tmp.resolve("resume-background.checkpoint");
        Batch train = fashion.slice(0, 48);
        Map<String, Object> early = new java.util.HashMap<>(SMALL);
        early.put("backgroundEpochs", 1);
        FitOptions three = new FitOptions(3, 16, 3e-3, 11, 0.0, 0);
        LlrDetector whole = detector(early, DetectorContext.simple());
        whole.fit(data(train), three);
        // stopped when the first epoch (the last with the background model) is checkpointed
        LlrDetector first = detector(early, context(ckpt, false,
                () -> Files.exists(ckpt.resolve("last/progress.properties"))));
        first.fit(data(train), three);
        assertThat(first.history().outcome()).isEqualTo(TrainingHistory.Outcome.STOP_REQUESTED);
        assertThat(first.history().epochs()).isEqualTo(1);
        LlrDetector resumed = detector(early, context(ckpt, true, () -> false));
        resumed.fit(data(train), three);
        assertThat(resumed.history().epochs()).isEqualTo(3);
        assertThat(resumed.history().loss()).containsExactlyElementsOf(whole.history().loss());
        assertThat(resumed.score(train).instanceScores()).containsExactly(whole.score(train).instanceScores());
        assertThat(ckpt).doesNotExist();
    }

    @Test
    void aFitWithASnapshotDirKeepsEveryEpochsWeightsWhichScoreAsTheDetectorDidThen() throws Exception {
        Path snapshots = tmp.resolve("snapshots");
        Map<String, Object> params = new java.util.HashMap<>(SMALL);
        params.put("snapshotDir", snapshots.toString());
        params.put("score", "llr"); // what a snapshot scores (the statistics are of the last weights only)
        Batch train = fashion.slice(0, 32);
        FitOptions two = new FitOptions(2, 16, 3e-3, 5, 0.0, 0);
        try (LlrDetector d = detector(params, DetectorContext.simple())) {
            assertThat(d.hyperParameters()).doesNotContainKey("snapshotDir");
            d.fit(data(train), two);
            assertThat(snapshots.resolve("epoch-001.npy")).isRegularFile();
            assertThat(snapshots.resolve("epoch-002.npy")).isRegularFile();
            Batch probe = fashion.slice(140, 150);
            // the last epoch's snapshot holds the weights the detector scores with (another graph of the same weights:
            // equal to float rounding)
            try (LlrDetector last = d.withSnapshot(snapshots.resolve("epoch-002.npy"))) {
                io.oddball.tf.testing.Floats.assertClose("scores of the last epoch's snapshot",
                        last.score(probe).instanceScores(), d.score(probe).instanceScores());
            }
            try (LlrDetector first = d.withSnapshot(snapshots.resolve("epoch-001.npy"))) {
                assertThat(first.score(probe).instanceScores()).isNotEqualTo(d.score(probe).instanceScores());
            }
            Path other = tmp.resolve("not-these-weights.npy");
            Npy.write(other, new int[] {3}, new float[3]);
            assertThatThrownBy(() -> d.withSnapshot(other))
                    .isInstanceOf(io.oddball.api.error.ModelFormatException.class)
                    .hasMessageContaining(other.toString()).hasMessageContaining("weights of both models")
                    .hasMessageContaining("found 3");
        }
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static DetectorContext context(Path checkpoints, boolean resume, BooleanSupplier stop) {
        return new DetectorContext() {
            @Override
            public Progress progress(String task, long total, String unit) {
                return Progress.NONE;
            }

            @Override
            public boolean stopRequested() {
                return stop.getAsBoolean();
            }

            @Override
            public String device() {
                return "cpu";
            }

            @Override
            public Path checkpointDir() {
                return checkpoints;
            }

            @Override
            public boolean resume() {
                return resume;
            }

            @Override
            public Map<String, String> settings() {
                // the test pass's, as DetectorContext.simple() (the fits compared with these use that)
                return DetectorContext.simple().settings();
            }
        };
    }
}
