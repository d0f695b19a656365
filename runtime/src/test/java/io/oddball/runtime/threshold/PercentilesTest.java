package io.oddball.runtime.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * numpy's linear method by hand: v = (n - 1) * q / 100, i = floor(v), g = v - i,
 * result = a[i] + (a[i+1] - a[i]) * g (written b - (b - a) * (1 - g) when g >= 0.5).
 */
class PercentilesTest {
    private static final double EPS = 1e-12;

    @Test
    void matchesNumpyWorkedExamples() {
        // np.percentile([1,2,3,4], 99): v = 3 * .99 = 2.97, i = 2, g = .97: 4 - 1 * .03 = 3.97
        assertThat(Percentiles.percentile(new float[] {1, 2, 3, 4}, 99)).isCloseTo(3.97, within(EPS));
        // np.percentile([15,20,35,40,50], 40): v = 4 * .4 = 1.6, i = 1, g = .6: 35 - 15 * .4 = 29.0
        assertThat(Percentiles.percentile(new float[] {15, 20, 35, 40, 50}, 40)).isCloseTo(29.0, within(EPS));
        // np.percentile([1,2,3,4], 25): v = .75, i = 0, g = .75: 2 - 1 * .25 = 1.75
        assertThat(Percentiles.percentile(new float[] {1, 2, 3, 4}, 25)).isCloseTo(1.75, within(EPS));
        // ... at 95: v = 3 * .95 = 2.85, i = 2, g = .85: 4 - 1 * .15 = 3.85
        assertThat(Percentiles.percentile(new float[] {1, 2, 3, 4}, 95)).isCloseTo(3.85, within(EPS));
    }

    @Test
    void exactIndexNeedsNoInterpolation() {
        // [15,20,35,40,50] at 50: v = 4 * .5 = 2 exactly, g = 0: a[2] = 35
        assertThat(Percentiles.percentile(new float[] {15, 20, 35, 40, 50}, 50)).isEqualTo(35.0);
        // at 0: v = 0: the minimum; at 100: v = 4 = n - 1: the maximum
        assertThat(Percentiles.percentile(new float[] {15, 20, 35, 40, 50}, 0)).isEqualTo(15.0);
        assertThat(Percentiles.percentile(new float[] {15, 20, 35, 40, 50}, 100)).isEqualTo(50.0);
    }

    @Test
    void sortsACopyOfUnsortedInput() {
        // sorted [1,2,3,4] at 50: v = 1.5, i = 1, g = .5: 3 - 1 * .5 = 2.5
        float[] values = {4, 1, 3, 2};
        assertThat(Percentiles.percentile(values, 50)).isEqualTo(2.5);
        assertThat(values).containsExactly(4, 1, 3, 2);
    }

    @Test
    void oneValueIsEveryPercentile() {
        assertThat(Percentiles.percentile(new float[] {7}, 0)).isEqualTo(7.0);
        assertThat(Percentiles.percentile(new float[] {7}, 30)).isEqualTo(7.0);
        assertThat(Percentiles.percentile(new float[] {7}, 100)).isEqualTo(7.0);
    }

    @Test
    void computesInDoubleFromFloatValues() {
        // [0.1f, 0.2f] at 50: v = .5, g = .5: 0.2f - (0.2f - 0.1f) * .5 in double, not rounded to float
        double a = 0.1f;
        double b = 0.2f;
        assertThat(Percentiles.percentile(new float[] {0.2f, 0.1f}, 50)).isEqualTo(b - (b - a) * 0.5);
    }

    @Test
    void rejectsEmptyInputAndPercentOutOfRange() {
        assertThatThrownBy(() -> Percentiles.percentile(new float[0], 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found none");
        assertThatThrownBy(() -> Percentiles.percentile(new float[] {1}, 100.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("percent: expected a number in [0, 100], found 100.5");
        assertThatThrownBy(() -> Percentiles.percentile(new float[] {1}, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.percentile(new float[] {1}, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
