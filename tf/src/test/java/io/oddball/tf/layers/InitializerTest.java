package io.oddball.tf.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.data.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InitializerTest {
    private static double[] stats(float[] v) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double mean = sum / v.length;
        double sq = 0;
        for (float x : v) {
            sq += (x - mean) * (x - mean);
        }
        return new double[] {mean, sq / v.length, min, max};
    }

    @Test
    void glorotUniformCoversMinusLimitToLimitWithUniformMoments() {
        Shape shape = Shape.of(300, 200);
        float[] v = Initializer.glorotUniform().sample(shape, new SplittableRandom(1));
        double limit = Math.sqrt(6.0 / 500);
        double[] s = stats(v);
        assertThat(v).hasSize(60_000);
        assertThat(s[2]).isGreaterThanOrEqualTo(-limit).isLessThan(-0.99 * limit);
        assertThat(s[3]).isLessThanOrEqualTo(limit).isGreaterThan(0.99 * limit);
        assertThat(s[0]).isCloseTo(0, within(0.01 * limit));
        assertThat(s[1]).isCloseTo(limit * limit / 3, within(0.02 * limit * limit / 3));
    }

    @Test
    void heUniformUsesFanInOfConvolutionKernels() {
        Shape shape = Shape.of(4, 4, 16, 32);
        assertThat(Initializer.fanIn(shape)).isEqualTo(256);
        assertThat(Initializer.fanOut(shape)).isEqualTo(512);
        float[] v = Initializer.heUniform().sample(shape, new SplittableRandom(2));
        double limit = Math.sqrt(6.0 / 256);
        double[] s = stats(v);
        assertThat(s[2]).isGreaterThanOrEqualTo(-limit).isLessThan(-0.98 * limit);
        assertThat(s[3]).isLessThanOrEqualTo(limit).isGreaterThan(0.98 * limit);
        assertThat(s[1]).isCloseTo(limit * limit / 3, within(0.05 * limit * limit / 3));
    }

    @Test
    void initialWeightsAreDeterministicForASeedAndBiasesZero() {
        List<WeightSpec> specs = new Dense(8, Activation.RELU).weights("d", Shape.of(5));
        Weights a = Weights.initial(specs, 7);
        Weights b = Weights.initial(specs, 7);
        Weights c = Weights.initial(specs, 8);
        assertThat(a.names()).containsExactly("d_kernel", "d_bias");
        assertThat(a.values("d_kernel")).isEqualTo(b.values("d_kernel"));
        assertThat(a.values("d_kernel")).isNotEqualTo(c.values("d_kernel"));
        float[] bias = new float[8];
        a.values("d_bias").get(bias);
        assertThat(bias).containsOnly(0f);
        assertThat(a.parameterCount()).isEqualTo(48);
    }
}
