package io.oddball.runtime.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.runtime.eval.ConfusionMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Candidates are each distinct score s (predict score > s) and nextDown(min) (predict all); F1 = 2tp/(2tp+fp+fn). */
class BestF1ThresholdTest {
    private final BestF1Threshold bestF1 = new BestF1Threshold();

    @Test
    void needsScoresAndLabels() {
        assertThat(bestF1.name()).isEqualTo("best-f1");
        assertThat(bestF1.needsScores()).isTrue();
        assertThat(bestF1.needsLabels()).isTrue();
    }

    @Test
    void picksTheBestSplit() {
        // Highest first: .8 (1), .4 (0), .35 (1), .1 (0). P = 2.
        // t = .8: none flagged, F1 0. t = .4: {.8} tp 1 fp 0 fn 1, 2/3. t = .35: {.8,.4} tp 1 fp 1 fn 1, 2/4.
        // t = .1: {.8,.4,.35} tp 2 fp 1 fn 0, 4/5 (best). all: tp 2 fp 2, 4/6.
        float[] scores = {0.1f, 0.4f, 0.35f, 0.8f};
        int[] labels = {0, 0, 1, 1};
        assertThat(bestF1.threshold(scores, labels)).isEqualTo((double) 0.1f);
    }

    @Test
    void tiedScoresMoveTogether() {
        // 3 (1), 2 (1), 2 (0), 1 (0). t = 3: F1 0. t = 2: {3} tp 1 fn 1, 2/3. t = 1: {3,2,2} tp 2 fp 1, 4/5 (best).
        // all: tp 2 fp 2, 4/6. No threshold separates the two 2s.
        assertThat(bestF1.threshold(new float[] {3, 2, 2, 1}, new int[] {1, 1, 0, 0})).isEqualTo(1.0);
    }

    @Test
    void equalF1KeepsTheHighestThreshold() {
        // 4 (1), 3 (0), 2 (0), 1 (1). t = 3: {4} tp 1 fp 0 fn 1, 2/3. all: tp 2 fp 2 fn 0, 4/6 = 2/3 too.
        // t = 2: 2/4, t = 1: 2/5. Tie between t = 3 and all: the higher, 3.
        assertThat(bestF1.threshold(new float[] {1, 2, 3, 4}, new int[] {1, 0, 0, 1})).isEqualTo(3.0);
    }

    @Test
    void allOutliersFlagsEveryScore() {
        // Only outliers: flagging all gives F1 1; the threshold is just below the minimum.
        float[] scores = {2, 1, 3};
        double t = bestF1.threshold(scores, new int[] {1, 1, 1});
        assertThat(t).isEqualTo(Math.nextDown(1.0));
        for (float s : scores) {
            assertThat(s > t).isTrue();
        }
    }

    @Test
    void needsLabelsAndOutliers() {
        assertThatThrownBy(() -> bestF1.threshold(new float[] {1, 2}, null)).isInstanceOf(ConfigException.class)
                .hasMessage("best-f1 needs labelled data: expected labels (1 = outlier), found none");
        assertThatThrownBy(() -> bestF1.threshold(new float[] {1, 2}, new int[] {0, 0}))
                .isInstanceOf(DataException.class)
                .hasMessage("best-f1: expected at least one outlier label (1), found none in 2 labels");
        assertThatThrownBy(() -> bestF1.threshold(new float[] {1, 2}, new int[] {0, 2}))
                .isInstanceOf(DataException.class)
                .hasMessage("labels: expected label 0 (normal) or 1 (outlier), found 2 at index 1");
    }

    @Test
    void matchesABruteForceSearchOverTheCandidates() {
        Random random = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(60);
            float[] scores = new float[n];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(15);
                labels[i] = random.nextInt(3) == 0 ? 1 : 0;
            }
            labels[random.nextInt(n)] = 1;
            double bestF1Value = -1;
            double expected = 0;
            // Candidates from the highest down, so the first best is the highest.
            float min = Float.MAX_VALUE;
            for (float s : scores) {
                min = Math.min(min, s);
            }
            for (int v = 15; v >= -1; v--) {
                double t = v >= 0 ? v : Math.nextDown((double) min);
                if (v >= 0 && !contains(scores, v)) {
                    continue;
                }
                double f1 = ConfusionMatrix.at(scores, labels, t).f1();
                if (f1 > bestF1Value) {
                    bestF1Value = f1;
                    expected = t;
                }
            }
            assertThat(bestF1.threshold(scores, labels)).as("trial %d", trial).isEqualTo(expected);
        }
    }

    private static boolean contains(float[] scores, float v) {
        for (float s : scores) {
            if (s == v) {
                return true;
            }
        }
        return false;
    }
}
