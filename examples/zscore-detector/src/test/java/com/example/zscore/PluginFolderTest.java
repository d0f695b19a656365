package com.example.zscore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.Detector;
import io.oddball.api.DetectorProvider;
import io.oddball.api.FitOptions;
import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.result.OutlierType;
import io.oddball.api.result.Prediction;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.eval.EvaluationResult;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.pipeline.PipelineSpec;
import io.oddball.runtime.plugin.Kind;
import io.oddball.runtime.plugin.PluginClassLoader;
import io.oddball.runtime.plugin.PluginInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar in a plugin folder, run by the real runtime as {@code ./oddball --plugins DIR} runs it: found in the
 * jar (this module's classes are not on the class path here, see the pom), fitted from a YAML pipeline, saved,
 * loaded and used to predict, with the same scores as the detector used directly and as a hand computation. Runs
 * after {@code package} (the pom's {@code plugin-folder} execution).
 */
class PluginFolderTest {
    private static final Path ROOT = Path.of(System.getProperty("oddball.root", "../..")).toAbsolutePath().normalize();
    private static final int FEATURES = 4;
    private static final double EPSILON = 1e-3;

    @TempDir
    static Path tmp;

    static Path plugins;
    static Oddball oddball;
    static final RuntimeContext CONTEXT = RuntimeContext.defaults();

    @BeforeAll
    static void dropTheJarIntoAPluginFolder() throws Exception {
        Path jar = Path.of(System.getProperty("zscore.jar", "target/oddball-example-zscore.jar"));
        assertThat(jar).as("the packaged plugin (mvn verify makes it before this test)").isRegularFile();
        plugins = Files.createDirectories(tmp.resolve("plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        oddball = Oddball.create(List.of(plugins));
    }

    /** Rows of {@code FEATURES} columns of different centres and spreads, as a CSV file with a header. */
    private static Path csv(String name, long seed, int rows) throws Exception {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("a,b,c,d\n");
        for (int i = 0; i < rows; i++) {
            b.append(String.format(Locale.ROOT, "%s,%s,%s,%s%n", (float) r.nextGaussian(),
                    (float) (10 + 3 * r.nextGaussian()), (float) (-5 + 0.1 * r.nextGaussian()), 7.0f));
        }
        return Files.writeString(tmp.resolve(name), b.toString());
    }

    @Test
    void theRuntimeFindsTheDetectorInTheJarOnly() {
        assertThatThrownBy(() -> Class.forName("com.example.zscore.ZScoreDetectorProvider"))
                .as("this module's classes are not on the test class path").isInstanceOf(ClassNotFoundException.class);
        assertThat(oddball.plugins().problems()).isEmpty();
        PluginInfo info = oddball.plugins().all().stream().filter(p -> p.name().equals("zscore")).findFirst()
                .orElseThrow();
        assertThat(info.kind()).isEqualTo(Kind.DETECTOR);
        assertThat(info.version()).isEqualTo("0.1.0");
        assertThat(info.source()).endsWith(".jar").startsWith(plugins.toString());
        assertThat(info.provider().getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
    }

    @Test
    void fitSaveLoadPredictGivesTheDirectScores() throws Exception {
        Path train = csv("train.csv", 1, 200);
        Path test = csv("test.csv", 2, 50);
        Path yaml = Files.writeString(tmp.resolve("zscore.yaml"), """
                detector: {type: zscore, epsilon: %s}
                data: {train: {path: train.csv}}
                scorer: {type: mean}
                threshold: {type: percentile, percent: 90}
                """.formatted(EPSILON));
        Path saved = tmp.resolve("saved");
        float[] beforeSave;
        try (Pipeline fitted = oddball.fit(yaml, CONTEXT)) {
            beforeSave = fitted.score(oddball.openData(fitted, test, null, Map.of()).readAll()).instanceScores();
            oddball.save(fitted, saved);
        }
        assertThat(saved.resolve("model/moments.bin")).hasSize(FEATURES * 8);

        Prediction p;
        try (Pipeline loaded = oddball.load(saved, CONTEXT)) {
            Batch x = oddball.openData(loaded, test, null, Map.of()).readAll();
            p = loaded.predict(x, OutlierType.INSTANCE, null, true, true);
        }
        assertThat(p.detectorName()).isEqualTo("zscore");
        assertThat(p.instanceScores()).containsExactly(beforeSave);

        // the same detector used directly, through its provider, on the same rows
        Batch trainRows = oddball.openData(train, null, Map.of()).readAll();
        Batch testRows = oddball.openData(test, null, Map.of()).readAll();
        DetectorProvider provider = oddball.plugins().get(Kind.DETECTOR, "zscore", DetectorProvider.class);
        float[] direct;
        try (Detector d = provider.create(Params.of(Map.of("epsilon", EPSILON)), CONTEXT)) {
            d.fit(Dataset.of("train", trainRows), FitOptions.DEFAULTS);
            direct = d.score(testRows).featureScores();
        }
        float[] viaRuntime = p.featureScores();
        assertThat(viaRuntime).hasSize(50 * FEATURES);
        double[] byHand = byHand(trainRows, testRows);
        for (int i = 0; i < direct.length; i++) {
            double tolerance = 1e-6 * Math.max(1, Math.abs(direct[i]));
            assertThat((double) viaRuntime[i]).as("feature score %d", i).isCloseTo(direct[i], within(tolerance));
            // float32 means and variances against double ones
            assertThat(byHand[i]).as("feature score %d by hand", i).isCloseTo(direct[i], within(10 * tolerance));
        }
        for (int r = 0; r < 50; r++) {
            double mean = 0;
            for (int j = 0; j < FEATURES; j++) {
                mean += direct[r * FEATURES + j];
            }
            mean /= FEATURES;
            assertThat((double) p.instanceScores()[r]).isCloseTo(mean, within(1e-6 * Math.max(1, mean)));
            assertThat(p.isOutlier()[r]).isEqualTo(p.instanceScores()[r] > p.threshold());
        }
    }

    /** (x − μ)² / (σ² + ε) with μ and σ² of the training rows, in double. */
    private static double[] byHand(Batch train, Batch test) {
        double[] mean = new double[FEATURES];
        double[] var = new double[FEATURES];
        for (int i = 0; i < train.size(); i++) {
            for (int j = 0; j < FEATURES; j++) {
                mean[j] += train.get(i, j) / (double) train.size();
            }
        }
        for (int i = 0; i < train.size(); i++) {
            for (int j = 0; j < FEATURES; j++) {
                double d = train.get(i, j) - mean[j];
                var[j] += d * d / train.size();
            }
        }
        double[] out = new double[test.size() * FEATURES];
        for (int i = 0; i < test.size(); i++) {
            for (int j = 0; j < FEATURES; j++) {
                double d = test.get(i, j) - mean[j];
                out[i * FEATURES + j] = d * d / (var[j] + EPSILON);
            }
        }
        return out;
    }

    @Test
    void theShippedDemoPipelineSeparatesDigitsFromClothes() {
        PipelineSpec spec = oddball.parse(ROOT.resolve("examples/zscore-detector/demo-zscore.yaml"), CONTEXT);
        try (Pipeline p = oddball.fit(spec, CONTEXT)) {
            EvaluationResult r = oddball.evaluate(p, spec.evaluateIn(), spec.evaluateOod(), 256, CONTEXT);
            // 0.9995 when written (docs/adding-a-detector.md)
            assertThat(r.metrics().auroc()).isGreaterThan(0.99);
        }
    }
}
