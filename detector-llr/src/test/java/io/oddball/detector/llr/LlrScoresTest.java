package io.oddball.detector.llr;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.data.Shape;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The parts of the llr scores that need no model: PNG code lengths and the tail probabilities of combined. */
class LlrScoresTest {
    @Test
    void aNoisyImageCostsMorePngBitsThanAFlatOneForEveryChannelCount() {
        SplittableRandom r = new SplittableRandom(1);
        for (int c : new int[] {1, 2, 3, 4}) {
            Shape shape = Shape.of(16, 16, c);
            int f = (int) shape.size();
            float[] x = new float[2 * f];
            for (int i = 0; i < f; i++) {
                x[i] = 200;
                x[f + i] = r.nextInt(256);
            }
            long[] bits = LlrScores.pngBits(x, 2, shape);
            // a PNG holds at least its signature and IHDR, IDAT and IEND chunks; flat data deflates to a few bytes
            assertThat(bits[0]).as("%d channels, flat", c).isBetween(8L * 57, 8L * 120);
            assertThat(bits[1]).as("%d channels, noise", c).isGreaterThan(8L * f);
        }
    }

    @Test
    void theTailIsMinusTheLogOfTheShareOfHeldOutValuesAtOrAboveCountingTheImageItself() {
        float[][] sorted = {{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}};
        LlrScores.Calibration c = new LlrScores.Calibration(4, 0, 1, 0, 1, 0, 1, 0, 1, sorted);
        assertThat(c.valid()).isTrue();
        assertThat(c.tail(0, 0)).isCloseTo(0, Offset.offset(1e-12));
        assertThat(c.tail(0, 2)).isCloseTo(-Math.log(4 / 5.0), Offset.offset(1e-12));
        assertThat(c.tail(0, 2.5)).isCloseTo(-Math.log(3 / 5.0), Offset.offset(1e-12));
        assertThat(c.tail(0, 100)).isCloseTo(-Math.log(1 / 5.0), Offset.offset(1e-12));
        // beyond every held-out value alike, the largest standardised score orders the images
        assertThat(c.combined(100, 0, 0)).isGreaterThan(c.combined(50, 0, 0));
        assertThat(c.combined(0, 0, 2.5)).isCloseTo(-Math.log(3 / 5.0) + 1e-3 * 2.5, Offset.offset(1e-12));
        float[][] unsorted = {{2, 1, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}};
        assertThat(new LlrScores.Calibration(4, 0, 1, 0, 1, 0, 1, 0, 1, unsorted).valid()).isFalse();
    }
}
