package io.oddball.runtime.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.error.DataException;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    // 4 normals {1, 2, 3, 6} and 4 outliers {4, 6, 7, 9}: one tie at 6.
    private static final float[] SCORES = {1, 2, 3, 6, 4, 6, 7, 9};
    private static final int[] LABELS = {0, 0, 0, 0, 1, 1, 1, 1};

    @Test
    void decisionsAreScoreAboveThreshold() {
        // score > 6 flags 7 and 9 (outliers); the two 6s stay normal. tp 2, fp 0, tn 4, fn 2.
        // accuracy 6/8, precision 2/2, recall 2/4, f1 2*2 / (2*2 + 0 + 2) = 2/3
        Evaluation e = Evaluation.of(SCORES, LABELS, 6);
        assertThat(e.confusion()).isEqualTo(new ConfusionMatrix(2, 0, 4, 2));
        assertThat(e.accuracy()).isEqualTo(0.75);
        assertThat(e.precision()).isEqualTo(1.0);
        assertThat(e.recall()).isEqualTo(0.5);
        assertThat(e.f1()).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(e.threshold()).isEqualTo(6.0);
        // The threshold-free metrics, derived in MetricsTest
        assertThat(e.auroc()).isEqualTo(0.90625);
        assertThat(e.aupr()).isCloseTo(0.8875, within(1e-12));
        assertThat(e.fpr95()).isEqualTo(0.25);
        assertThat(e.roc().size()).isEqualTo(6);
        assertThat(e.precisionRecall().size()).isEqualTo(8);
    }

    @Test
    void justBelowATieFlagsBoth() {
        // score > 5 flags 6, 6, 7, 9: tp 3, fp 1, tn 3, fn 1; every rate 3/4, f1 6 / (6 + 1 + 1)
        ConfusionMatrix c = ConfusionMatrix.at(SCORES, LABELS, 5);
        assertThat(c).isEqualTo(new ConfusionMatrix(3, 1, 3, 1));
        assertThat(c.f1()).isEqualTo(0.75);
        assertThat(c.falsePositiveRate()).isEqualTo(0.25);
    }

    @Test
    void undefinedRatesAreZero() {
        // Nothing flagged: precision 0/0 and f1 0/(0 + 0 + 4) are 0
        ConfusionMatrix none = ConfusionMatrix.at(SCORES, LABELS, 100);
        assertThat(none).isEqualTo(new ConfusionMatrix(0, 0, 4, 4));
        assertThat(none.precision()).isZero();
        assertThat(none.f1()).isZero();
        // No outliers at all: recall 0/0 and f1 0/0 are 0
        ConfusionMatrix noOutliers = new ConfusionMatrix(0, 0, 5, 0);
        assertThat(noOutliers.recall()).isZero();
        assertThat(noOutliers.f1()).isZero();
        assertThat(noOutliers.accuracy()).isEqualTo(1.0);
    }

    @Test
    void needsBothClasses() {
        assertThatThrownBy(() -> Evaluation.of(new float[] {1, 2}, new int[] {0, 0}, 1.5))
                .isInstanceOf(DataException.class)
                .hasMessage("evaluate: expected labels of both classes (0 = normal, 1 = outlier), found only"
                        + " 0 (normal) in 2 labels");
        assertThatThrownBy(() -> ConfusionMatrix.at(new float[] {1}, new int[] {0}, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void curvesHandOutCopies() {
        Curve roc = Evaluation.of(SCORES, LABELS, 6).roc();
        double[] x = roc.x();
        x[1] = 42;
        assertThat(roc.x(1)).isZero();
    }
}
