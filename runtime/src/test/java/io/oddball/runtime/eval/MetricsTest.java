package io.oddball.runtime.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.error.DataException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double EPS = 1e-12;

    // 4 normals {1, 2, 3, 6} and 4 outliers {4, 6, 7, 9}: one tie at 6.
    private static final float[] SCORES = {1, 2, 3, 6, 4, 6, 7, 9};
    private static final int[] LABELS = {0, 0, 0, 0, 1, 1, 1, 1};

    // scikit-learn's documented example: y_true = [0, 0, 1, 1], y_score = [0.1, 0.4, 0.35, 0.8].
    private static final float[] SK_SCORES = {0.1f, 0.4f, 0.35f, 0.8f};
    private static final int[] SK_LABELS = {0, 0, 1, 1};

    @Test
    void aurocCountsTiesAsOneHalf() {
        // Pairs (outlier > normal) of 16: 4 beats 1,2,3 (3); 6 beats 1,2,3 and ties 6 (3.5); 7 and 9 beat all (4 + 4).
        // 14.5 / 16 = 0.90625
        assertThat(Metrics.auroc(SCORES, LABELS)).isEqualTo(0.90625);
        // sklearn's roc_auc_score example: .8 beats both normals, .35 beats .1 only: 3 / 4
        assertThat(Metrics.auroc(SK_SCORES, SK_LABELS)).isEqualTo(0.75);
    }

    @Test
    void aurocOfEqualScoresIsOneHalf() {
        assertThat(Metrics.auroc(new float[] {3, 3, 3, 3, 3}, new int[] {0, 1, 0, 1, 0})).isEqualTo(0.5);
    }

    @Test
    void aurocOfPerfectAndReversedRankings() {
        assertThat(Metrics.auroc(new float[] {1, 2, 3}, new int[] {0, 1, 1})).isEqualTo(1.0);
        assertThat(Metrics.auroc(new float[] {1, 2, 3}, new int[] {1, 0, 0})).isEqualTo(0.0);
    }

    @Test
    void averagePrecisionIsSklearns() {
        // Highest first: 9 (1), 7 (1), 6 (1 and 0), 4 (1), then normals. AP = sum (R_i - R_(i-1)) P_i:
        // 9: .25 * 1/1, 7: .25 * 2/2, 6: .25 * 3/4, 4: .25 * 4/5; lower scores add no recall.
        // .25 + .25 + .1875 + .2 = 0.8875
        assertThat(Metrics.averagePrecision(SCORES, LABELS)).isCloseTo(0.8875, within(EPS));
        // sklearn's average_precision_score example, documented as 0.83...: .8 (1): .5 * 1/1; .4 (0): no recall;
        // .35 (1): .5 * 2/3; .1 (0): no recall. .5 + 1/3 = 0.8333...
        assertThat(Metrics.averagePrecision(SK_SCORES, SK_LABELS)).isCloseTo(0.5 + 1.0 / 3, within(EPS));
        // Equal scores: one step to recall 1 at precision 2/5 (the prevalence)
        assertThat(Metrics.averagePrecision(new float[] {3, 3, 3, 3, 3}, new int[] {0, 1, 0, 1, 0}))
                .isCloseTo(0.4, within(EPS));
    }

    @Test
    void fpr95IsTheSmallestFprReachingTheTpr() {
        // TPR from the highest score down: 9: .25, 7: .5, 6: .75 (FPR .25), 4: 1 (FPR 1/4). First >= .95 at 4: .25
        assertThat(Metrics.fpr95(SCORES, LABELS)).isEqualTo(0.25);
    }

    @Test
    void fpr95AtExactlyNinetyFivePercent() {
        // 20 outliers: 19 at 101..119, one at 0.5; 10 normals at 1..10. TPR reaches 19/20 = .95 at score 101,
        // with no normal above: FPR 0. Moving one normal to 200 puts it above all: FPR 1/10.
        float[] scores = new float[30];
        int[] labels = new int[30];
        for (int i = 0; i < 19; i++) {
            scores[i] = 101 + i;
            labels[i] = 1;
        }
        scores[19] = 0.5f;
        labels[19] = 1;
        for (int i = 0; i < 10; i++) {
            scores[20 + i] = 1 + i;
        }
        assertThat(Metrics.fpr95(scores, labels)).isEqualTo(0.0);
        scores[29] = 200;
        assertThat(Metrics.fpr95(scores, labels)).isEqualTo(0.1);
        ScoreCounts counts = ScoreCounts.of(scores, labels);
        assertThat(Metrics.fprAtTpr(counts, 1.0)).isEqualTo(1.0);
        assertThat(Metrics.fprAtTpr(counts, 0.0)).isEqualTo(0.0);
    }

    @Test
    void rocCurveIsSklearnsWithIntermediatePointsDropped() {
        // sklearn's roc_curve example: fpr [0, 0, .5, .5, 1], tpr [0, .5, .5, 1, 1], thresholds [inf, .8, .4, .35, .1]
        Curve roc = Metrics.rocCurve(SK_SCORES, SK_LABELS);
        assertThat(roc.x()).containsExactly(0, 0, 0.5, 0.5, 1);
        assertThat(roc.y()).containsExactly(0, 0.5, 0.5, 1, 1);
        assertThat(roc.thresholds()).containsExactly(Double.POSITIVE_INFINITY, 0.8f, 0.4f, 0.35f, 0.1f);
        // Our example: points per score (fpr, tpr): 9 (0, .25), 7 (0, .5), 6 (.25, .75), 4 (.25, 1), 3 (.5, 1),
        // 2 (.75, 1), 1 (1, 1). 3 and 2 lie on the line from 4 to 1 (second differences 0): dropped.
        Curve ours = Metrics.rocCurve(SCORES, LABELS);
        assertThat(ours.x()).containsExactly(0, 0, 0, 0.25, 0.25, 1);
        assertThat(ours.y()).containsExactly(0, 0.25, 0.5, 0.75, 1, 1);
        assertThat(ours.thresholds()).containsExactly(Double.POSITIVE_INFINITY, 9, 7, 6, 4, 1);
    }

    @Test
    void precisionRecallCurveIsSklearns() {
        // sklearn's precision_recall_curve example: precision [.5, .667, .5, 1, 1], recall [1, 1, .5, .5, 0],
        // thresholds [.1, .35, .4, .8] (plus +inf for the last point here)
        Curve pr = Metrics.precisionRecallCurve(SK_SCORES, SK_LABELS);
        assertThat(pr.y()).containsExactly(0.5, 2.0 / 3, 0.5, 1, 1);
        assertThat(pr.x()).containsExactly(1, 1, 0.5, 0.5, 0);
        assertThat(pr.thresholds()).containsExactly(0.1f, 0.35f, 0.4f, 0.8f, Double.POSITIVE_INFINITY);
        assertThat(pr.size()).isEqualTo(5);
        assertThat(pr.y(1)).isEqualTo(2.0 / 3);
    }

    @Test
    void negativeZeroIsZero() {
        // -0.0 and 0.0 are one score (a tie), as in numpy: AUROC 0.5
        assertThat(Metrics.auroc(new float[] {-0f, 0f}, new int[] {1, 0})).isEqualTo(0.5);
        assertThat(ScoreCounts.of(new float[] {-0f, 0f, -1f}, new int[] {1, 0, 0}).size()).isEqualTo(2);
    }

    @Test
    void errorsSayWhatWasExpected() {
        assertThatThrownBy(() -> Metrics.auroc(new float[] {1, 2, 3}, new int[] {0, 1}))
                .isInstanceOf(DataException.class)
                .hasMessage("labels: expected one label per score (3), found 2 labels");
        assertThatThrownBy(() -> Metrics.auroc(new float[] {1, 2}, new int[] {1, 1}))
                .isInstanceOf(DataException.class)
                .hasMessage("auroc: expected labels of both classes (0 = normal, 1 = outlier), found only 1 (outlier)"
                        + " in 2 labels");
        assertThatThrownBy(() -> Metrics.auroc(new float[] {1, 2}, new int[] {0, 0}))
                .isInstanceOf(DataException.class).hasMessageContaining("found only 0 (normal) in 2 labels");
        assertThatThrownBy(() -> Metrics.auroc(new float[0], new int[0]))
                .isInstanceOf(DataException.class).hasMessage("scores: expected at least one score, found none");
        assertThatThrownBy(() -> Metrics.averagePrecision(new float[] {1, 2}, new int[] {0, 0}))
                .isInstanceOf(DataException.class)
                .hasMessage("aupr: expected at least one outlier label (1), found none in 2 labels");
        assertThatThrownBy(() -> Metrics.fpr95(new float[] {1, Float.NaN}, new int[] {0, 1}))
                .isInstanceOf(DataException.class).hasMessageContaining("found NaN at index 1");
        assertThatThrownBy(() -> Metrics.auroc(new float[] {1, 2}, null))
                .isInstanceOf(DataException.class).hasMessageContaining("found none");
        // No normals: AP is 1 (every prefix is pure), AUROC undefined
        assertThat(Metrics.averagePrecision(new float[] {1, 2}, new int[] {1, 1})).isEqualTo(1.0);
    }

    @Test
    void aurocEqualsAPairwiseCountOnRandomScores() {
        Random random = new Random(42);
        for (int trial = 0; trial < 5; trial++) {
            int n = 500;
            float[] scores = new float[n];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = random.nextInt(4) == 0 ? 1 : 0;
                // Outliers shifted up; rounded to one decimal so that ties occur.
                double s = random.nextGaussian() + labels[i] * 0.7;
                scores[i] = trial % 2 == 0 ? Math.round(s * 10) / 10f : (float) s;
            }
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (labels[i] == 1 && labels[j] == 0) {
                        pairs++;
                        wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
                }
            }
            assertThat(Metrics.auroc(scores, labels)).as("trial %d", trial).isCloseTo(wins / pairs, within(EPS));
        }
    }

    @Test
    void handlesAMillionScoresQuickly() {
        Random random = new Random(1);
        int n = 1_000_000;
        float[] scores = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(10) == 0 ? 1 : 0;
            scores[i] = (float) (random.nextGaussian() + 2 * labels[i]);
        }
        long start = System.nanoTime();
        Evaluation e = Evaluation.of(scores, labels, 1.5);
        long millis = (System.nanoTime() - start) / 1_000_000;
        // Two unit-variance normals 2 apart: AUROC = Phi(2 / sqrt 2) = Phi(1.414) ~ 0.921
        assertThat(e.auroc()).isCloseTo(0.921, within(0.005));
        assertThat(e.confusion().total()).isEqualTo(n);
        assertThat(millis).as("evaluate of 1e6 scores, ms").isLessThan(10_000);
    }
}
