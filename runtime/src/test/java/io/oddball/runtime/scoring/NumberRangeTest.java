package io.oddball.runtime.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NumberRangeTest {
    @Test
    void endsAreIncludedAsDeclared() {
        NumberRange range = NumberRange.openClosed(0, 0.5);
        assertThat(range.contains(0)).isFalse();
        assertThat(range.contains(0.5)).isTrue();
        assertThat(range.contains(Double.NaN)).isFalse();
        assertThat(NumberRange.closed(0, 100).contains(0)).isTrue();
        assertThat(NumberRange.open(0, 1).contains(1)).isFalse();
        assertThat(range.expected()).isEqualTo("a number in (0, 0.5]");
        assertThat(NumberRange.closed(0, 100).expected()).isEqualTo("a number in [0, 100]");
    }

    @Test
    void requireSaysWhatWasExpected() {
        assertThat(NumberRange.open(0, 1).require("fpr", 0.05)).isEqualTo(0.05);
        assertThatThrownBy(() -> NumberRange.open(0, 1).require("fpr", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fpr: expected a number in (0, 1), found 1.0");
    }
}
