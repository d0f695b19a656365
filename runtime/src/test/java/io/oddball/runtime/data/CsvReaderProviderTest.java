package io.oddball.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.Params;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderProviderTest {
    private static final String IRIS = """
            sepal_length,sepal_width,"petal, length",species
            5.1,3.5,1.4,0

            7.0,3.2,4.7,1
            6.3,3.3,6.0,2
            """;

    private final CsvReaderProvider reader = new CsvReaderProvider();

    @TempDir
    Path tmp;

    @Test
    void readsHeaderAndLabelColumnByName() {
        Path file = TestData.write(tmp, "iris.csv", IRIS);
        Dataset d = TestData.open(reader, file, Map.of("labelColumn", "species"));
        assertThat(d.instanceShape()).isEqualTo(Shape.of(3));
        assertThat(d.size()).isEmpty();
        assertThat(TestData.values(d, 2)).containsExactly(5.1f, 3.5f, 1.4f, 7.0f, 3.2f, 4.7f, 6.3f, 3.3f, 6.0f);
        assertThat(TestData.labels(d, 2)).containsExactly(0, 1, 2);
    }

    @Test
    void columnsByIndexGzipDelimiterAndNoHeader() {
        String text = "1;2;3\n4;5;6\n";
        Path file = TestData.write(tmp, "rows.csv.gz", TestData.gzip(text.getBytes(StandardCharsets.UTF_8)));
        Dataset d = TestData.open(reader, file, Map.of("header", false, "delimiter", ";", "labelColumn", 0,
                "columns", List.of(2, 1)));
        assertThat(d.instanceShape()).isEqualTo(Shape.of(2));
        assertThat(TestData.values(d, 10)).containsExactly(3, 2, 6, 5);
        assertThat(TestData.labels(d, 10)).containsExactly(1, 4);
        Dataset all = TestData.open(reader, file, Map.of("header", false, "delimiter", ";"));
        assertThat(all.hasLabels()).isFalse();
        assertThat(TestData.values(all, 1)).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void raggedRowNamesFileAndLine() {
        Path file = TestData.write(tmp, "ragged.csv", "a,b,c\n1,2,3\n4,5\n");
        assertThatThrownBy(() -> TestData.values(TestData.open(reader, file, Map.of()), 10))
                .isInstanceOf(DataException.class)
                .hasMessage(file + ": line 3: expected 3 columns (as the header), found 2");
    }

    @Test
    void nonNumericCellNamesFileLineAndColumn() {
        Path file = TestData.write(tmp, "text.csv", IRIS.replace("7.0", "seven"));
        assertThatThrownBy(() -> TestData.values(TestData.open(reader, file, Map.of("labelColumn", 3)), 1))
                .isInstanceOf(DataException.class)
                .hasMessage(file + ": line 4, column 'sepal_length' (index 0): expected a number, found 'seven'");
        Path noHeader = TestData.write(tmp, "nh.csv", "1,2\n3,x\n");
        assertThatThrownBy(() -> TestData.values(TestData.open(reader, noHeader, Map.of("header", false)), 1))
                .hasMessage(noHeader + ": line 2, column index 1: expected a number, found 'x'");
        Path badLabel = TestData.write(tmp, "label.csv", "x,y\n1,setosa\n");
        assertThatThrownBy(() -> TestData.values(TestData.open(reader, badLabel, Map.of("labelColumn", "y")), 1))
                .hasMessage(badLabel + ": line 2, column 'y' (index 1): expected an integer label, found 'setosa'");
    }

    @Test
    void unknownColumnIsAConfigProblem() {
        Path file = TestData.write(tmp, "iris.csv", IRIS);
        Params params = Params.of(Map.of("labelColumn", "kind"));
        reader.open(file, params);
        assertThatThrownBy(params::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("labelColumn: expected a column of [sepal_length, sepal_width, petal, length, "
                        + "species] or an index below 4 (" + file + "), found 'kind'");
    }

    @Test
    void emptyFileIsAnError() {
        Path file = TestData.write(tmp, "empty.csv", "\n\n");
        assertThatThrownBy(() -> TestData.open(reader, file, Map.of()))
                .hasMessage(file + ": expected a header or a row, found an empty file");
    }
}
