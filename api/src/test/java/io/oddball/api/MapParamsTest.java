package io.oddball.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MapParamsTest {
    private static Params params() {
        return Params.of(Map.of("int", 7, "long", 3_000_000_000L, "text", " -12 ", "big", "3000000000",
                "real", 1.5, "word", "ten", "flag", true, "yes", "TRUE", "inf", " Infinity", "list", List.of(1)),
                "detector", MapParams.NO_LOCATION);
    }

    @Test
    void getIntReadsWholeNumbersAndTheirTextThatFitAnInt() {
        Params p = params();
        assertThat(p.getInt("int", 0)).isEqualTo(7);
        assertThat(p.getInt("text", 0)).isEqualTo(-12);
        assertThat(p.getInt("missing", 4)).isEqualTo(4);
        assertThat(p.problems()).isEmpty();
    }

    @Test
    void getIntRecordsAProblemForWhatIsNotAnIntAndKeepsTheDefault() {
        Params p = params();
        assertThat(p.getInt("long", 1)).isEqualTo(1);
        assertThat(p.getInt("big", 2)).isEqualTo(2);
        assertThat(p.getInt("real", 3)).isEqualTo(3);
        assertThat(p.getInt("word", 4)).isEqualTo(4);
        assertThat(p.getInt("flag", 5)).isEqualTo(5);
        assertThat(p.problems()).containsExactly(
                "detector.long: expected an integer, found 3000000000",
                "detector.big: expected an integer, found '3000000000'",
                "detector.real: expected an integer, found 1.5",
                "detector.word: expected an integer, found 'ten'",
                "detector.flag: expected an integer, found true");
    }

    @Test
    void getLongReadsWholeNumbersOfAnySizeAndTheirText() {
        Params p = params();
        assertThat(p.getLong("int", 0)).isEqualTo(7L);
        assertThat(p.getLong("long", 0)).isEqualTo(3_000_000_000L);
        assertThat(p.getLong("big", 0)).isEqualTo(3_000_000_000L);
        assertThat(p.getLong("text", 0)).isEqualTo(-12L);
        assertThat(p.getLong("missing", 9)).isEqualTo(9L);
        assertThat(p.problems()).isEmpty();
        assertThat(p.getLong("real", 1)).isEqualTo(1L);
        assertThat(p.getLong("word", 2)).isEqualTo(2L);
        assertThat(p.problems()).containsExactly("detector.real: expected an integer, found 1.5",
                "detector.word: expected an integer, found 'ten'");
    }

    @Test
    void getDoubleReadsNumbersAndTheirText() {
        Params p = params();
        assertThat(p.getDouble("real", 0)).isEqualTo(1.5);
        assertThat(p.getDouble("int", 0)).isEqualTo(7.0);
        assertThat(p.getDouble("text", 0)).isEqualTo(-12.0);
        assertThat(p.getDouble("inf", 0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(p.getDouble("missing", 0.25)).isEqualTo(0.25);
        assertThat(p.problems()).isEmpty();
        assertThat(p.getDouble("word", 2)).isEqualTo(2.0);
        assertThat(p.getDouble("flag", 3)).isEqualTo(3.0);
        assertThat(p.problems()).containsExactly("detector.word: expected a number, found 'ten'",
                "detector.flag: expected a number, found true");
    }

    @Test
    void getBooleanReadsBooleansAndTheirTextInAnyCase() {
        Params p = params();
        assertThat(p.getBoolean("flag", false)).isTrue();
        assertThat(p.getBoolean("yes", false)).isTrue();
        assertThat(p.getBoolean("missing", true)).isTrue();
        assertThat(p.problems()).isEmpty();
        assertThat(p.getBoolean("word", true)).isTrue();
        assertThat(p.getBoolean("int", false)).isFalse();
        assertThat(p.problems()).containsExactly("detector.word: expected true or false, found 'ten'",
                "detector.int: expected true or false, found 7");
    }

    @Test
    void getStringReadsScalarsAsTextAndRefusesCollections() {
        Params p = params();
        assertThat(p.getString("word", null)).isEqualTo("ten");
        assertThat(p.getString("real", null)).isEqualTo("1.5");
        assertThat(p.getString("flag", null)).isEqualTo("true");
        assertThat(p.getString("missing", "d")).isEqualTo("d");
        assertThat(p.getString("missing", null)).isNull();
        assertThat(p.problems()).isEmpty();
        assertThat(p.getString("list", "d")).isEqualTo("d");
        assertThat(p.problems()).containsExactly("detector.list: expected a string, found a list");
    }
}
