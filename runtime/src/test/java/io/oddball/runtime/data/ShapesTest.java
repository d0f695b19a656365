package io.oddball.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.Params;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Npy;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code shape} reader option and the shape rules, on real {@code .npy} files written here. */
class ShapesTest {
    @TempDir
    static Path tmp;

    static float[] values;
    static Path flat;
    static Path cube;

    @BeforeAll
    static void arrays() {
        values = new float[6 * 12];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        flat = tmp.resolve("flat.npy");
        Npy.write(flat, new int[] {6, 12}, values);
        cube = tmp.resolve("cube.npy");
        Npy.write(cube, new int[] {6, 3, 4}, values);
    }

    static final NpyReaderProvider NPY = new NpyReaderProvider();

    @Test
    void theShapeOptionReshapesRowsWithTheirValuesInOrder() {
        for (Object shape : List.of("3,4,1", "3x4x1", "[3, 4, 1]", List.of(3, 4, 1))) {
            Dataset d = TestData.open(NPY, flat, Map.of("shape", shape));
            assertThat(d.instanceShape()).as("%s", shape).isEqualTo(Shape.of(3, 4, 1));
            assertThat(d.size()).hasValue(6);
            assertThat(TestData.values(d, 4)).containsExactly(values);
        }
        Dataset one = TestData.open(NPY, cube, Map.of("shape", 12, "offset", 2));
        assertThat(one.instanceShape()).isEqualTo(Shape.of(12));
        assertThat(TestData.values(one, 5)).containsExactly(java.util.Arrays.copyOfRange(values, 24, 72));
    }

    @Test
    void aShapeOfAnotherSizeOrNotAShapeIsAConfigProblem() {
        Params wrong = Params.of(Map.of("shape", List.of(3, 4, 3)), "options", null);
        NPY.open(flat, wrong);
        assertThatThrownBy(wrong::finish).isInstanceOf(ConfigException.class)
                .hasMessage("options.shape: expected a shape of 12 values per instance (as " + flat + " has: 12 values "
                        + "per instance), found [3, 4, 3] (36 values)");
        Params text = Params.of(Map.of("shape", "three by four"), "options", null);
        NPY.open(flat, text);
        assertThatThrownBy(text::finish).isInstanceOf(ConfigException.class)
                .hasMessage("options.shape: expected a shape such as [28, 28, 1] or 28,28,1 (positive integers), found "
                        + "'three by four'");
        Params zero = Params.of(Map.of("shape", List.of(0, 12)), "options", null);
        NPY.open(flat, zero);
        assertThatThrownBy(zero::finish).isInstanceOf(ConfigException.class).hasMessageContaining("positive integers");
    }

    @Test
    void sameLayoutIsHxWAgainstHxWx1AndNothingElse() {
        assertThat(Shapes.sameLayout(Shape.of(28, 28), Shape.of(28, 28, 1))).isTrue();
        assertThat(Shapes.sameLayout(Shape.of(28, 28, 1), Shape.of(28, 28))).isTrue();
        assertThat(Shapes.sameLayout(Shape.of(784), Shape.of(28, 28, 1))).isFalse();
        assertThat(Shapes.sameLayout(Shape.of(28, 28, 3), Shape.of(28, 28))).isFalse();
        assertThat(Shapes.withChannel(Shape.of(3, 4))).isEqualTo(Shape.of(3, 4, 1));
        assertThat(Shapes.withChannel(Shape.of(12))).isEqualTo(Shape.of(12));
        assertThat(Shapes.mismatch(Shape.of(784), Shape.of(28, 28, 1), false))
                .isEqualTo("784 values per instance; reshape with -O shape=28,28,1");
        assertThat(Shapes.mismatch(Shape.of(1, 784), Shape.of(28, 28, 1), true))
                .isEqualTo("instances of 1x784; reshape with shape: [28, 28, 1]");
        assertThat(Shapes.mismatch(Shape.of(8, 8, 3), Shape.of(8, 8, 1), false)).isEqualTo("instances of 8x8x3");
    }

    @Test
    void aCubeIsReadInTheShapeOfTheOtherLayout() {
        Dataset d = Shapes.reshape(TestData.open(NPY, cube, Map.of()), Shape.of(3, 4, 1));
        assertThat(d.instanceShape()).isEqualTo(Shape.of(3, 4, 1));
        assertThat(TestData.values(d, 4)).containsExactly(values);
        assertThatThrownBy(() -> Shapes.reshape(d, Shape.of(5))).isInstanceOf(IllegalArgumentException.class);
    }
}
