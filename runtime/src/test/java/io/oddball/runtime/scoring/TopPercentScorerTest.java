package io.oddball.runtime.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.Params;
import io.oddball.api.Scorer;
import io.oddball.api.error.ConfigException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopPercentScorerTest {
    // Sorted: 1 2 3 4 5 6 7 8 9 10 (sum 55).
    private static final float[] TEN = {3, 9, 1, 7, 5, 2, 8, 4, 6, 10};

    private static Scorer scorer(Object outlierPerc) {
        Params params = Params.of(Map.of("outlierPerc", outlierPerc));
        Scorer scorer = new TopPercentScorerProvider().create(params);
        params.finish();
        return scorer;
    }

    @ParameterizedTest(name = "outlierPerc {0} -> {1}")
    @CsvSource({
        // ceil(.01 * 75 * 10) = ceil(7.5) = 8: (10+9+8+7+6+5+4+3) / 8 = 52 / 8
        "75, 6.5",
        // ceil(1.0 * 10) = 10: all, 55 / 10
        "100, 5.5",
        // ceil(.5 * 10) = 5: (10+9+8+7+6) / 5 = 40 / 5
        "50, 8.0",
        // .01 * 10 * 10 = 1.0 exactly: ceil = 1, the max
        "10, 10.0",
        // .01 * 11 * 10 = 1.1: ceil = 2, (10+9) / 2
        "11, 9.5",
        // .01 * 0.001 * 10 = 1e-4: ceil = 1, the max
        "0.001, 10.0",
        // Alibi's float rounding: .01 * 70 = 0.7000000000000001, * 10 = 7.000000000000001, ceil = 8 (not 7):
        // the same 8 values as at 75
        "70, 6.5",
    })
    void averagesTheTopShareAsAlibi(double outlierPerc, float expected) {
        assertThat(scorer(outlierPerc).instanceScore(TEN, 0, 10)).isEqualTo(expected);
    }

    @Test
    void sampleSizeFollowsAlibisExpression() {
        assertThat(new TopPercentScorer(75).sampleSize(10)).isEqualTo(8);
        assertThat(new TopPercentScorer(70).sampleSize(10)).isEqualTo(8);
        // ceil(.01 * 75 * 3072) = ceil(2304.0) = 2304
        assertThat(new TopPercentScorer(75).sampleSize(3072)).isEqualTo(2304);
        assertThat(new TopPercentScorer(100).sampleSize(1)).isEqualTo(1);
        assertThat(new TopPercentScorer(1).sampleSize(1)).isEqualTo(1);
    }

    @Test
    void defaultIsOneHundredPercent() {
        Params params = Params.empty();
        TopPercentScorer scorer = (TopPercentScorer) new TopPercentScorerProvider().create(params);
        params.finish();
        assertThat(scorer.outlierPerc()).isEqualTo(100.0);
        assertThat(scorer.name()).isEqualTo("top-percent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-5", "100.0001", "NaN"})
    void outOfRangeIsAProblemReportedByFinish(String value) {
        Params params = Params.of(Map.of("outlierPerc", Double.parseDouble(value)));
        new TopPercentScorerProvider().create(params);
        assertThatThrownBy(params::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("outlierPerc: expected a number in (0, 100], found " + Double.parseDouble(value));
    }

    @Test
    void integerOutOfRangeIsShownAsWritten() {
        Params params = Params.of(Map.of("outlierPerc", 101));
        new TopPercentScorerProvider().create(params);
        assertThatThrownBy(params::finish).isInstanceOf(ConfigException.class)
                .hasMessage("outlierPerc: expected a number in (0, 100], found 101");
    }

    @Test
    void notANumberIsAProblem() {
        Params params = Params.of(Map.of("outlierPerc", "most"));
        new TopPercentScorerProvider().create(params);
        assertThatThrownBy(params::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("outlierPerc: expected a number, found 'most'");
    }

    @Test
    void constructorRejectsOutOfRange() {
        assertThatThrownBy(() -> new TopPercentScorer(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopPercentScorer(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scoresInstancesStoredOneAfterAnother() {
        // Instance 0: TEN. Instance 1: TEN + 10 (11..20); ceil(7.5) = 8 top values 13..20, mean 16.5.
        float[] two = new float[20];
        for (int i = 0; i < 10; i++) {
            two[i] = TEN[i];
            two[10 + i] = TEN[i] + 10;
        }
        Scorer scorer = new TopPercentScorer(75);
        assertThat(scorer.instanceScores(two, 2, 10)).containsExactly(6.5f, 16.5f);
        assertThat(scorer.instanceScore(two, 10, 10)).isEqualTo(16.5f);
    }

    @Test
    void nanSortsLastAsInNumpySoTheScoreIsNan() {
        float[] values = {1, Float.NaN, 3, 4};
        // ceil(.25 * 4) = 1 (max), ceil(.5 * 4) = 2 and all four each include the NaN.
        for (double perc : new double[] {25, 50, 100}) {
            assertThat(new TopPercentScorer(perc).instanceScore(values, 0, 4)).isNaN();
        }
    }

    @Test
    void tiesAreKeptWithTheirMultiplicity() {
        // 0 0 0 0 0 0 5 5 5 9: ceil(.4 * 10) = 4 top values 9 5 5 5, mean 24 / 4 = 6.
        float[] values = {0, 5, 0, 0, 9, 5, 0, 0, 5, 0};
        assertThat(new TopPercentScorer(40).instanceScore(values, 0, 10)).isEqualTo(6f);
    }

    @Test
    void rejectsEmptyAndOutOfBoundsRows() {
        Scorer scorer = new TopPercentScorer(50);
        assertThatThrownBy(() -> scorer.instanceScore(TEN, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected at least 1, found 0");
        assertThatThrownBy(() -> scorer.instanceScores(TEN, 2, 10)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void selectionMatchesAFullSortOnRandomRows() {
        Random random = new Random(7);
        int[] lengths = {2, 3, 17, 100, 3072};
        double[] percs = {0.01, 1, 5, 33.3, 50, 70, 75, 99, 99.99, 100};
        for (int length : lengths) {
            for (int trial = 0; trial < 20; trial++) {
                float[] row = new float[length];
                for (int i = 0; i < length; i++) {
                    // Few distinct values on odd trials: many ties, the hard case for partitioning.
                    row[i] = trial % 2 == 0 ? (float) random.nextGaussian() : random.nextInt(4);
                }
                for (double perc : percs) {
                    TopPercentScorer scorer = new TopPercentScorer(perc);
                    float[] sorted = row.clone();
                    Arrays.sort(sorted);
                    int k = (int) Math.ceil(.01 * perc * length);
                    double sum = 0;
                    for (int i = length - k; i < length; i++) {
                        sum += sorted[i];
                    }
                    float expected = (float) (sum / k);
                    assertThat(scorer.instanceScore(row, 0, length)).as("length %d perc %s", length, perc)
                            .isCloseTo(expected, within(1e-5f * Math.max(1f, Math.abs(expected))));
                }
            }
        }
    }

    @Test
    void selectPlacesTheKthValue() {
        Random random = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            float[] a = new float[1 + random.nextInt(300)];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextInt(trial % 3 == 0 ? 3 : 1000);
            }
            float[] sorted = a.clone();
            Arrays.sort(sorted);
            int k = random.nextInt(a.length);
            TopPercentScorer.select(a, 0, a.length, k);
            assertThat(a[k]).isEqualTo(sorted[k]);
            for (int i = 0; i < a.length; i++) {
                if (i < k) {
                    assertThat(a[i]).isLessThanOrEqualTo(a[k]);
                } else {
                    assertThat(a[i]).isGreaterThanOrEqualTo(a[k]);
                }
            }
        }
    }
}
