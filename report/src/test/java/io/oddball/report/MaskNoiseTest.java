package io.oddball.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Alibi's apply_mask semantics, checked element by element on small images. */
class MaskNoiseTest {
    private static final Shape SHAPE = Shape.of(6, 5, 3);

    private static float[] image(long seed) {
        Random r = new Random(seed);
        float[] x = new float[(int) SHAPE.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return x;
    }

    @Test
    void masksOfSizeZeroChangeNothing() {
        float[] x = image(1);
        for (MaskNoise.Type t : MaskNoise.Type.values()) {
            float[] out = new MaskNoise(t, 0, 1, 0, 1).apply(x, SHAPE, new MaskNoise.Size(0, 0), 4, new Random(2));
            for (int m = 0; m < 4; m++) {
                for (int i = 0; i < x.length; i++) {
                    assertThat(out[m * x.length + i]).as("%s copy %d value %d", t, m, i).isEqualTo(x[i]);
                }
            }
        }
    }

    @Test
    void zerosSetOnePatchOfEveryChannelToZeroAwayFromTheLastRowAndColumn() {
        float[] x = image(3);
        MaskNoise.Size size = new MaskNoise.Size(2, 3);
        float[] out = new MaskNoise(MaskNoise.Type.ZEROS, 0, 1, 0, 1).apply(x, SHAPE, size, 20, new Random(4));
        for (int m = 0; m < 20; m++) {
            int zeros = 0;
            for (int y = 0; y < 6; y++) {
                for (int col = 0; col < 5; col++) {
                    for (int c = 0; c < 3; c++) {
                        int i = (y * 5 + col) * 3 + c;
                        float v = out[m * x.length + i];
                        if (v == 0f) {
                            zeros++;
                            assertThat(y).isLessThan(5);
                            assertThat(col).isLessThan(4);
                        } else {
                            assertThat(v).isEqualTo(x[i]);
                        }
                    }
                }
            }
            assertThat(zeros).isEqualTo(2 * 3 * 3);
        }
    }

    @Test
    void uniformNoiseIsAddedOncePerPixelForAllChannelsThenTheWholeCopyIsClipped() {
        float[] x = image(5);
        float[] out = new MaskNoise(MaskNoise.Type.UNIFORM, 0.2, 0.4, 0.1, 0.9).apply(x, SHAPE,
                new MaskNoise.Size(3, 3), 1, new Random(6));
        int changed = 0;
        for (int p = 0; p < 30; p++) {
            double delta = Double.NaN;
            for (int c = 0; c < 3; c++) {
                int i = p * 3 + c;
                assertThat(out[i]).isBetween(0.1f, 0.9f);
                float clipped = Math.max(0.1f, Math.min(0.9f, x[i]));
                if (out[i] != clipped) {
                    double d = out[i] - x[i];
                    if (x[i] + 0.4 < 0.9 && x[i] + 0.2 > 0.1) {
                        assertThat(d).isBetween(0.2 - 1e-6, 0.4 + 1e-6);
                        if (!Double.isNaN(delta)) {
                            assertThat(d).isCloseTo(delta, org.assertj.core.api.Assertions.within(1e-6));
                        }
                        delta = d;
                    }
                    changed++;
                }
            }
        }
        assertThat(changed).isLessThanOrEqualTo(3 * 3 * 3).isGreaterThan(0);
    }

    @Test
    void aSeedGivesTheSameMasks() {
        float[] x = image(7);
        MaskNoise n = new MaskNoise(MaskNoise.Type.NORMAL, 0, 1, 0, 1);
        MaskNoise.Size s = new MaskNoise.Size(2, 2);
        assertThat(n.apply(x, SHAPE, s, 5, new Random(8))).containsExactly(n.apply(x, SHAPE, s, 5, new Random(8)));
        assertThat(n.apply(x, SHAPE, s, 5, new Random(8))).isNotEqualTo(n.apply(x, SHAPE, s, 5, new Random(9)));
    }

    @Test
    void badSettingsAreConfigErrors() {
        assertThatThrownBy(() -> new MaskNoise(MaskNoise.Type.UNIFORM, 1, 0, 0, 1)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected low <= high");
        assertThatThrownBy(() -> MaskNoise.Type.parse("salt")).isInstanceOf(ConfigException.class)
                .hasMessage("--noise: expected uniform, normal or zeros, found 'salt'");
        assertThatThrownBy(() -> MaskNoise.Size.parse("4y")).isInstanceOf(ConfigException.class);
        assertThat(MaskNoise.Size.parse("4x8")).isEqualTo(new MaskNoise.Size(4, 8));
        assertThatThrownBy(() -> new MaskNoise(MaskNoise.Type.ZEROS, 0, 1, 0, 1).apply(image(1), SHAPE,
                new MaskNoise.Size(6, 2), 1, new Random(1))).isInstanceOf(ConfigException.class)
                .hasMessage("mask size: expected less than the image size 6x5, found 6x2");
    }
}
