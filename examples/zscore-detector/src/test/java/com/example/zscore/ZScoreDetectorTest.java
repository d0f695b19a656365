package com.example.zscore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.api.result.Scores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector on numbers worked out by hand, its saved files, its configuration and its errors. */
class ZScoreDetectorTest {
    private static final DetectorContext CONTEXT = DetectorContext.simple();
    /** Batches of 3: the 4 training rows arrive as 3 + 1, so fit adds the sums of two TensorFlow runs. */
    private static final FitOptions BATCHES_OF_3 = new FitOptions(1, 3, 1e-3, 0, 0, 0);

    /** Four rows of three features: a column of spread 3.5, one of spread 350, one constant. */
    private static final float[] TRAIN = {
        1, 10, 100,
        2, 20, 100,
        3, 30, 100,
        6, 60, 100};

    @TempDir
    Path dir;

    private static Dataset rows(float[] values, int features) {
        return Dataset.of("train", Batch.of(values, Shape.of(values.length / features, features)));
    }

    private static ZScoreDetector fitted(double epsilon) {
        ZScoreDetector d = new ZScoreDetector(new ZScoreConfig(epsilon), CONTEXT);
        d.fit(rows(TRAIN, 3), BATCHES_OF_3);
        return d;
    }

    @Test
    void fitLearnsEachFeaturesMeanAndVarianceAndScoresItsSquaredZScore() {
        try (ZScoreDetector d = fitted(0.5)) {
            // by hand: means 3, 30, 100; population variances (4 + 1 + 0 + 9) / 4 = 3.5, 100 times that, and 0
            assertThat(d.mean()).containsExactly(new float[] {3f, 30f, 100f}, within(1e-6f));
            assertThat(d.variance()).containsExactly(new float[] {3.5f, 350f, 0f}, within(1e-4f));
            assertThat(d.inputShape()).isEqualTo(Shape.of(3));

            Scores s = d.score(Batch.of(new float[] {5, 30, 101, 1, 10, 99}, Shape.of(2, 3)));
            assertThat(s.hasInstanceScores()).as("instance scores come from the pipeline's scorer").isFalse();
            assertThat(s.featureShape()).isEqualTo(Shape.of(3));
            // (x - mean)^2 / (variance + epsilon), epsilon 0.5
            double[] expected = {
                2.0 * 2 / (3.5 + 0.5), 0.0, 1.0 * 1 / (0 + 0.5),
                2.0 * 2 / (3.5 + 0.5), 20.0 * 20 / (350 + 0.5), 1.0 * 1 / (0 + 0.5)};
            float[] found = s.featureScores();
            assertThat(found).hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) found[i]).as("feature score %d", i)
                        .isCloseTo(expected[i], within(1e-6 * Math.max(1, expected[i])));
            }
        }
    }

    @Test
    void largeValuesKeepTheirSmallVariance() {
        // 1e7 + {0, 1, 2, 3}: exact in float32; sums of squares of 1e14 would swallow a variance of 1.25 in float32
        float[] x = {1e7f, 1e7f + 1, 1e7f + 2, 1e7f + 3};
        try (ZScoreDetector d = new ZScoreDetector(ZScoreConfig.DEFAULTS, CONTEXT)) {
            d.fit(rows(x, 1), BATCHES_OF_3);
            assertThat(d.mean()[0]).isEqualTo(1e7f + 1.5f, within(1f)); // float32 spacing at 1e7 is 1
            assertThat(d.variance()[0]).isCloseTo(1.25f, within(1e-6f));
        }
    }

    @Test
    void aSavedDetectorLoadsThroughItsProviderAndScoresExactlyAsBefore() {
        ZScoreDetectorProvider provider = new ZScoreDetectorProvider();
        Batch queries = Batch.of(new float[] {5, 30, 101, 1, 10, 99, 3, 30, 100}, Shape.of(3, 3));
        float[] before;
        Map<String, Object> hyperParameters;
        try (ZScoreDetector d = fitted(0.5)) {
            before = d.score(queries).featureScores();
            hyperParameters = d.hyperParameters();
            d.save(dir);
        }
        assertThat(hyperParameters).isEqualTo(Map.of("epsilon", 0.5));
        assertThat(dir.resolve("zscore.properties")).content().contains("formatVersion=1").contains("count=4")
                .contains("instanceShape=3");
        assertThat(dir.resolve("moments.bin")).hasSize(3 * 8);
        try (Detector loaded = provider.load(dir, Params.of(hyperParameters), CONTEXT)) {
            assertThat(loaded.inputShape()).isEqualTo(Shape.of(3));
            assertThat(loaded.score(queries).featureScores()).containsExactly(before);
        }
    }

    @Test
    void aDetectorSavedByFormat1LoadsAndScoresAsWhenSaved() throws Exception {
        // saved/format-1: the four training rows above (means 3, 30, 100; variances 3.5, 350, 0), saved by format 1
        Path saved = Path.of(getClass().getResource("/saved/format-1").toURI());
        try (Detector d = new ZScoreDetectorProvider().load(saved, Params.of(Map.of("epsilon", 0.5)), CONTEXT)) {
            assertThat(d.inputShape()).isEqualTo(Shape.of(3));
            assertThat(d.score(Batch.of(new float[] {5, 30, 101}, Shape.of(1, 3))).featureScores())
                    .containsExactly(new float[] {1f, 0f, 2f}, within(1e-6f));
        }
    }

    @Test
    void theConfigurationHasOneKeyWithItsDefault() {
        ConfigSchema schema = new ZScoreDetectorProvider().configSchema();
        assertThat(schema.params()).extracting(ConfigSchema.Param::name).containsExactly("epsilon");
        assertThat(schema.params().get(0).defaultValue()).isEqualTo("1e-6");
        assertThat(ZScoreConfig.from(Params.empty())).isEqualTo(new ZScoreConfig(1e-6));
        assertThat(ZScoreConfig.from(Params.of(Map.of("epsilon", 0.25)))).isEqualTo(new ZScoreConfig(0.25));
        // a saved detector's hyper-parameters read back as they were written
        assertThat(ZScoreConfig.from(Params.of(new ZScoreConfig(0.25).toMap()))).isEqualTo(new ZScoreConfig(0.25));

        Params bad = Params.of(Map.of("epsilon", -1));
        assertThat(ZScoreConfig.from(bad)).isEqualTo(ZScoreConfig.DEFAULTS);
        assertThat(bad.problems()).containsExactly("epsilon: expected a number > 0, found -1.0");
        Params word = Params.of(Map.of("epsilon", "small"));
        ZScoreConfig.from(word);
        assertThat(word.problems()).singleElement().asString().startsWith("epsilon: expected a number");
    }

    @Test
    void badInputAndDamagedFilesAreOneClearError() throws Exception {
        try (ZScoreDetector d = fitted(0.5)) {
            assertThatThrownBy(() -> d.score(Batch.of(new float[4], Shape.of(2, 2))))
                    .isInstanceOf(DataException.class).hasMessage("zscore: expected instances of shape 3, found 2");
            d.save(dir);
        }
        ZScoreDetector empty = new ZScoreDetector(ZScoreConfig.DEFAULTS, CONTEXT);
        assertThatThrownBy(() -> empty.fit(Dataset.of("none.csv", Batch.of(new float[0], Shape.of(0, 3))),
                BATCHES_OF_3)).isInstanceOf(DataException.class)
                .hasMessage("zscore: none.csv: expected at least 1 instance, found none");
        empty.close();

        ZScoreDetectorProvider provider = new ZScoreDetectorProvider();
        assertThatThrownBy(() -> provider.load(dir, Params.of(Map.of("epsilon", 0)), CONTEXT))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage(dir + ": hyperParameters.epsilon: expected a number > 0, found 0.0");
        Path moments = dir.resolve("moments.bin");
        Files.write(moments, new byte[20]);
        assertThatThrownBy(() -> provider.load(dir, Params.of(Map.of("epsilon", 0.5)), CONTEXT))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage(moments + ": expected 24 bytes (3 means and variances, float32), found 20");
        Files.delete(moments);
        assertThatThrownBy(() -> provider.load(dir, Params.of(Map.of("epsilon", 0.5)), CONTEXT))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage(moments + ": expected the means and variances, found no file");
    }
}
