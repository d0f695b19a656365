package io.oddball.detector.knn;

import static io.oddball.detector.knn.Fixtures.batch;
import static io.oddball.detector.knn.Fixtures.dataset;
import static io.oddball.detector.knn.Fixtures.detector;
import static io.oddball.detector.knn.Fixtures.labelled;
import static io.oddball.detector.knn.Fixtures.oneMinus;
import static io.oddball.detector.knn.Fixtures.scores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.FitOptions;
import io.oddball.api.data.Batch;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scores equal cleanlab 2.9.0's (saved by make_reference.py) to 1e-5, both cleanlab-style and 1 − it. */
class CleanlabReferenceTest {
    private static final float TOL = 1e-5f;

    @ParameterizedTest
    @ValueSource(strings = {"knn-cosine", "knn-euclidean"})
    void featuresModeMatchesFitScoreAndScore(String c) {
        Batch train = batch(c, "train.npy");
        Batch test = batch(c, "test.npy");
        float[] expectedTrain = scores(c, "train_scores.npy");
        float[] expectedTest = scores(c, "test_scores.npy");
        try (KnnDetector d = detector(Map.of())) {
            assertThat(d.fitCleanlabScores(dataset(train))).containsExactly(expectedTrain, within(TOL));
            assertThat(d.cleanlabScores(test)).containsExactly(expectedTest, within(TOL));
            assertThat(d.score(test).instanceScores()).containsExactly(oneMinus(expectedTest), within(TOL));
            assertThat(d.config().k()).isEqualTo(10);
            assertThat(d.config().metric().yamlName()).isEqualTo(c.substring(4));
        }
        try (KnnDetector d = detector(Map.of())) {
            assertThat(d.fitScore(dataset(train), FitOptions.DEFAULTS).instanceScores())
                    .containsExactly(oneMinus(expectedTrain), within(TOL));
        }
        try (KnnDetector d = detector(Map.of())) {
            d.fit(dataset(train), FitOptions.DEFAULTS);
            assertThat(d.cleanlabScores(test)).containsExactly(expectedTest, within(TOL));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"knn-cosine", "knn-euclidean"})
    void predProbsModeMatches(String c) {
        Batch train = labelled(c, "pp_train_pred_probs.npy", "pp_train_labels.npy");
        Batch test = batch(c, "pp_test_pred_probs.npy");
        try (KnnDetector d = detector(Map.of("mode", "pred-probs"))) {
            float[] expected = scores(c, "pp_train_scores.npy");
            assertThat(d.fitCleanlabScores(dataset(train))).containsExactly(expected, within(TOL));
            assertThat(d.cleanlabScores(test)).containsExactly(scores(c, "pp_test_scores.npy"), within(TOL));
            assertThat(d.score(test).instanceScores())
                    .containsExactly(oneMinus(scores(c, "pp_test_scores.npy")), within(TOL));
        }
        try (KnnDetector d = detector(Map.of("mode", "pred-probs", "method", "least_confidence"))) {
            d.fit(dataset(train), FitOptions.DEFAULTS);
            assertThat(d.cleanlabScores(test))
                    .containsExactly(scores(c, "pp_test_scores_least_confidence.npy"), within(TOL));
        }
        try (KnnDetector d = detector(Map.of("mode", "pred-probs", "method", "gen", "adjustPredProbs", false))) {
            d.fit(dataset(batch(c, "pp_train_pred_probs.npy")), FitOptions.DEFAULTS);
            assertThat(d.cleanlabScores(test)).containsExactly(scores(c, "pp_test_scores_gen.npy"), within(TOL));
            assertThat(d.score(test).instanceScores())
                    .containsExactly(oneMinus(scores(c, "pp_test_scores_gen.npy")), within(TOL));
        }
    }
}
