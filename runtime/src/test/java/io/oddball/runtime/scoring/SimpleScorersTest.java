package io.oddball.runtime.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.Params;
import io.oddball.api.Scorer;
import io.oddball.api.ScorerProvider;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SimpleScorersTest {
    // Two instances of 5 features: {3, 9, 1, 7, 5} and {-2, -8, -4, -6, -0.5}.
    private static final float[] ROWS = {3, 9, 1, 7, 5, -2, -8, -4, -6, -0.5f};

    @Test
    void meanMaxSum() {
        // Row 0: sum 25, mean 5, max 9. Row 1: sum -20.5, mean -4.1, max -0.5.
        assertThat(new MeanScorer().instanceScores(ROWS, 2, 5)).containsExactly(5f, -4.1f);
        assertThat(new MaxScorer().instanceScores(ROWS, 2, 5)).containsExactly(9f, -0.5f);
        assertThat(new SumScorer().instanceScores(ROWS, 2, 5)).containsExactly(25f, -20.5f);
        assertThat(new MeanScorer().instanceScore(ROWS, 5, 5)).isEqualTo(-4.1f);
    }

    @Test
    void meanEqualsTopPercentOneHundred() {
        assertThat(new TopPercentScorer(100).instanceScores(ROWS, 2, 5))
                .containsExactly(new MeanScorer().instanceScores(ROWS, 2, 5));
    }

    @Test
    void maxPropagatesNan() {
        assertThat(new MaxScorer().instanceScore(new float[] {1, Float.NaN, 2}, 0, 3)).isNaN();
    }

    @Test
    void sumAccumulatesInDouble() {
        // 1e8 + 1 + 1 + 1 + 1: float accumulation would stay at 1e8 (ulp 8); double gives 100000004, a float.
        float[] values = {1e8f, 1, 1, 1, 1};
        assertThat(new SumScorer().instanceScore(values, 0, 5)).isEqualTo(100000004f);
    }

    @Test
    void serviceLoaderFindsEveryScorerByName() {
        TreeMap<String, ScorerProvider> byName = new TreeMap<>();
        ServiceLoader.load(ScorerProvider.class).forEach(p -> byName.put(p.name(), p));
        assertThat(byName).containsKeys(TopPercentScorerProvider.NAME, MeanScorerProvider.NAME,
                MaxScorerProvider.NAME, SumScorerProvider.NAME);
        assertThat(byName.keySet()).contains("top-percent", "mean", "max", "sum");
        for (String name : new String[] {"top-percent", "mean", "max", "sum"}) {
            ScorerProvider provider = byName.get(name);
            assertThat(provider.version()).isEqualTo("0.1.0");
            assertThat(provider.description()).isNotBlank();
            Params params = Params.empty();
            Scorer scorer = provider.create(params);
            params.finish();
            assertThat(scorer.name()).isEqualTo(name);
        }
    }

    @Test
    void schemaPinsTheOnlyParameterAndItsDefault() {
        assertThat(new TopPercentScorerProvider().configSchema().params())
                .singleElement().satisfies(p -> {
                    assertThat(p.name()).isEqualTo("outlierPerc");
                    assertThat(p.defaultValue()).isEqualTo("100");
                });
        assertThat(new MeanScorerProvider().configSchema().params()).isEmpty();
    }
}
