package io.oddball.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.data.Shape;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The drawing of per-value maps and samples: scales, per-pixel sums, ranges and the sizes of the pictures. */
class FeatureMapImagesTest {
    @Test
    void mapsWithBothSignsGetADivergingScaleSymmetricAroundZero() {
        FeatureMapImages.Scale s = FeatureMapImages.Scale.of(new double[] {-1, 0.5, 3});
        assertThat(s.diverging()).isTrue();
        assertThat(s.lo()).isEqualTo(-3);
        assertThat(s.hi()).isEqualTo(3);
        assertThat(s.rgb(0)).isEqualTo(221 << 16 | 221 << 8 | 221);
        assertThat(s.rgb(-3)).isEqualTo(59 << 16 | 76 << 8 | 192);
        assertThat(s.rgb(3)).isEqualTo(180 << 16 | 4 << 8 | 38);
        assertThat(s.rgb(Double.NaN)).isEqualTo(0x808080);
    }

    @Test
    void oneSignedMapsGetViridisOverTheirRange() {
        FeatureMapImages.Scale s = FeatureMapImages.Scale.of(new double[] {-10, -2, Double.NEGATIVE_INFINITY});
        assertThat(s.diverging()).isFalse();
        assertThat(s.lo()).isEqualTo(-10);
        assertThat(s.hi()).isEqualTo(-2);
        assertThat(s.rgb(-10)).isEqualTo(ImageTiles.viridis(0));
        assertThat(s.rgb(-2)).isEqualTo(ImageTiles.viridis(1));
        FeatureMapImages.Scale flat = FeatureMapImages.Scale.of(new double[] {2, 2});
        assertThat(flat.hi()).isGreaterThan(flat.lo());
    }

    @Test
    void pixelsSumTheirChannelsAndRangesFollowTheData() {
        double[] m = FeatureMapImages.perPixel(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
                Shape.of(2, 2, 3));
        assertThat(m).containsExactly(new double[] {6, 15, 24, 33}, within(1e-9));
        assertThat(FeatureMapImages.displayRange(new float[] {0, 0.5f, 1})).containsExactly(0, 1);
        assertThat(FeatureMapImages.displayRange(new float[] {0, 17, 255})).containsExactly(0, 255);
        assertThat(FeatureMapImages.displayRange(new float[] {-2, 3})).containsExactly(-2, 3);
        assertThat(FeatureMapImages.label(-10.4567)).isEqualTo("-10.5");
        assertThat(FeatureMapImages.label(255)).isEqualTo("255");
        assertThat(FeatureMapImages.label(0)).isEqualTo("0");
    }

    @Test
    void aRowHasATilePerMapAndASheetPacksRows() {
        Shape shape = Shape.of(4, 5, 1);
        float[] input = new float[20];
        Map<String, float[]> maps = new LinkedHashMap<>();
        maps.put("a", new float[20]);
        maps.put("b", new float[20]);
        BufferedImage row = FeatureMapImages.row("caption", input, new double[] {0, 255}, maps, shape, 20);
        assertThat(row.getWidth()).isGreaterThanOrEqualTo(3 * 100);
        assertThat(row.getHeight()).isGreaterThan(80);
        BufferedImage sheet = FeatureMapImages.sheet(List.of(row, row, row), 2 * row.getWidth() + 1);
        assertThat(sheet.getWidth()).isEqualTo(2 * row.getWidth());
        assertThat(sheet.getHeight()).isEqualTo(2 * row.getHeight());
        BufferedImage grid = FeatureMapImages.samples("s", new float[5 * 20], 5, shape, 10, 1000);
        assertThat(grid.getWidth()).isGreaterThanOrEqualTo(3 * 50);
        assertThat(grid.getHeight()).isGreaterThanOrEqualTo(2 * 40);
    }
}
