package io.oddball.runtime.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.Params;
import io.oddball.api.ThresholdStrategy;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ThresholdStrategiesTest {
    private static final double EPS = 1e-12;
    private static final float[] ONE_TO_FIVE = {5, 3, 1, 4, 2};

    private static final Map<String, ThresholdStrategyProvider> PROVIDERS = new TreeMap<>();

    static {
        ServiceLoader.load(ThresholdStrategyProvider.class).forEach(p -> PROVIDERS.put(p.name(), p));
    }

    /** Creates strategy {@code type} from {@code keyValues} and finishes its parameters. */
    private static ThresholdStrategy create(String type, Object... keyValues) {
        Params params = params(keyValues);
        ThresholdStrategy strategy = PROVIDERS.get(type).create(params);
        params.finish();
        return strategy;
    }

    private static Params params(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return Params.of(map);
    }

    private static void assertProblem(String type, String message, Object... keyValues) {
        Params params = params(keyValues);
        PROVIDERS.get(type).create(params);
        assertThatThrownBy(params::finish).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void everyStrategyIsRegisteredWithItsVersion() {
        assertThat(PROVIDERS).containsKeys(FixedThresholdProvider.NAME, PercentileThresholdProvider.NAME,
                ContaminationThresholdProvider.NAME, TargetFprThresholdProvider.NAME, BestF1ThresholdProvider.NAME);
        assertThat(PROVIDERS.keySet()).contains("fixed", "percentile", "contamination", "target-fpr", "best-f1");
        PROVIDERS.values().forEach(p -> assertThat(p.version()).isEqualTo("0.1.0"));
    }

    @Test
    void fixedNeedsNoScores() {
        ThresholdStrategy fixed = create("fixed", "value", 0.045);
        assertThat(fixed.name()).isEqualTo("fixed");
        assertThat(fixed.needsScores()).isFalse();
        assertThat(fixed.needsLabels()).isFalse();
        assertThat(fixed.threshold(null, null)).isEqualTo(0.045);
    }

    @Test
    void fixedValueIsRequiredAndFinite() {
        assertProblem("fixed", "value: expected a number (this key is required), found nothing");
        assertProblem("fixed", "value: expected a number, found 'high'", "value", "high");
        assertProblem("fixed", "value: expected a finite number, found Infinity", "value", Double.POSITIVE_INFINITY);
    }

    @Test
    void percentileIsAlibisInferThreshold() {
        // [15,20,35,40,50] at 40: v = 4 * .4 = 1.6, g = .6: 35 - 15 * .4 = 29.0
        ThresholdStrategy p40 = create("percentile", "percent", 40);
        assertThat(p40.needsScores()).isTrue();
        assertThat(p40.needsLabels()).isFalse();
        assertThat(p40.threshold(new float[] {50, 15, 40, 20, 35}, null)).isCloseTo(29.0, within(EPS));
        // Default 95 on [1,2,3,4]: v = 3 * .95 = 2.85, g = .85: 4 - .15 = 3.85; labels are ignored
        ThresholdStrategy byDefault = create("percentile");
        assertThat(((PercentileThreshold) byDefault).percent()).isEqualTo(95.0);
        assertThat(byDefault.threshold(new float[] {1, 2, 3, 4}, new int[] {0, 0, 1, 1})).isCloseTo(3.85, within(EPS));
    }

    @Test
    void percentileRangeIsChecked() {
        assertProblem("percentile", "percent: expected a number in [0, 100], found 101", "percent", 101);
        assertProblem("percentile", "percent: expected a number in [0, 100], found -1", "percent", -1);
        assertProblem("percentile", "percnt: unknown key; did you mean 'percent'?", "percnt", 90);
        assertThat(create("percentile", "percent", 0).threshold(ONE_TO_FIVE, null)).isEqualTo(1.0);
        assertThat(create("percentile", "percent", 100).threshold(ONE_TO_FIVE, null)).isEqualTo(5.0);
    }

    @Test
    void scoresMustBePresentAndNumbers() {
        ThresholdStrategy p = create("percentile");
        assertThatThrownBy(() -> p.threshold(new float[0], null)).isInstanceOf(DataException.class)
                .hasMessage("percentile: expected at least one score, found none");
        assertThatThrownBy(() -> p.threshold(new float[] {1, Float.NaN}, null)).isInstanceOf(DataException.class)
                .hasMessage("percentile: expected a number for every score, found NaN at index 1");
    }

    @Test
    void contaminationIsPercentileOfOneMinusFraction() {
        // fraction .25: percentile 100 * .75 = 75 of [1..5]: v = 4 * .75 = 3 exactly: 4.0
        assertThat(create("contamination", "fraction", 0.25).threshold(ONE_TO_FIVE, null)).isEqualTo(4.0);
        // default .1 (PyOD): percentile 100 * .9 = 90: v = 4 * .9 = 3.6, g = .6: 5 - 1 * .4 = 4.6
        ThresholdStrategy byDefault = create("contamination");
        assertThat(((ContaminationThreshold) byDefault).fraction()).isEqualTo(0.1);
        assertThat(byDefault.threshold(ONE_TO_FIVE, null)).isCloseTo(4.6, within(EPS));
        // fraction .5 (allowed): percentile 50: v = 2: 3.0
        assertThat(create("contamination", "fraction", 0.5).threshold(ONE_TO_FIVE, null)).isEqualTo(3.0);
        assertProblem("contamination", "fraction: expected a number in (0, 0.5], found 0", "fraction", 0);
        assertProblem("contamination", "fraction: expected a number in (0, 0.5], found 0.6", "fraction", 0.6);
    }

    @Test
    void targetFprUsesOnlyNormalScoresWhenLabelled() {
        // Normal scores (label 0) are 1..5; fpr .25: percentile 75 of [1..5] = 4.0 (v = 3), outliers ignored
        float[] scores = {100, 1, 2, 200, 3, 4, 5};
        int[] labels = {1, 0, 0, 1, 0, 0, 0};
        ThresholdStrategy t = create("target-fpr", "fpr", 0.25);
        assertThat(t.needsLabels()).isFalse();
        assertThat(t.threshold(scores, labels)).isEqualTo(4.0);
        // Without labels all scores count as normal: percentile 75 of [1,2,3,4,5,100,200]: v = 6 * .75 = 4.5,
        // g = .5: 100 - (100 - 5) * .5 = 52.5
        assertThat(t.threshold(scores, null)).isEqualTo(52.5);
        // Default fpr .05: percentile 95 of [1..5]: v = 4 * .95 = 3.8, g = .8: 5 - 1 * .2 = 4.8
        ThresholdStrategy byDefault = create("target-fpr");
        assertThat(((TargetFprThreshold) byDefault).fpr()).isEqualTo(0.05);
        assertThat(byDefault.threshold(ONE_TO_FIVE, null)).isCloseTo(4.8, within(EPS));
    }

    @Test
    void targetFprChecksItsInput() {
        ThresholdStrategy t = create("target-fpr");
        assertThatThrownBy(() -> t.threshold(new float[] {1, 2}, new int[] {1, 1})).isInstanceOf(DataException.class)
                .hasMessage("target-fpr: expected scores of normal data (label 0), found only outliers in 2 labels");
        assertThatThrownBy(() -> t.threshold(new float[] {1, 2}, new int[] {0})).isInstanceOf(DataException.class)
                .hasMessage("target-fpr: expected one label per score (2), found 1 labels");
        assertProblem("target-fpr", "fpr: expected a number in (0, 1), found 1", "fpr", 1);
        assertProblem("target-fpr", "fpr: expected a number in (0, 1), found 0", "fpr", 0);
    }
}
