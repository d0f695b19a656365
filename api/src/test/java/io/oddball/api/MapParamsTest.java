package io.oddball.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MapParamsTest {
    private static Params params() {
        return Params.of(Map.of("int", 7, "long", 3_000_000_000L, "text", " -12 ", "big", "3000000000",
                "real", 1.5, "word", "ten", "flag", true), "detector", MapParams.NO_LOCATION);
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
}
