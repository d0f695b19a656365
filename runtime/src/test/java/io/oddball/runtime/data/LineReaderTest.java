package io.oddball.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static List<String> lines(LineReader r) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l = r.readLine(); l != null; l = r.readLine()) {
            out.add(l);
        }
        return out;
    }

    private static List<String> buffered(String text) throws IOException {
        return new BufferedReader(new StringReader(text)).lines().toList();
    }

    @Test
    void splitsLinesAsBufferedReaderDoes() throws IOException {
        for (String text : new String[] {"", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\r", "\n\n", "\r\n\r\n", "a\r",
            "a\n\rb", "x,y\n1,2\n\n3,4"}) {
            assertThat(lines(new LineReader(new StringReader(text), 100))).as(text.replace("\r", "\\r")
                    .replace("\n", "\\n")).isEqualTo(buffered(text));
        }
    }

    @Test
    void splitsRandomTextAcrossBufferBoundariesAsBufferedReaderDoes() throws IOException {
        Random r = new Random(1);
        char[] alphabet = {'a', 'b', ',', '\n', '\r'};
        for (int i = 0; i < 50; i++) {
            StringBuilder s = new StringBuilder();
            for (int k = r.nextInt(40_000); k > 0; k--) {
                s.append(r.nextInt(10) == 0 ? alphabet[3 + r.nextInt(2)] : alphabet[r.nextInt(3)]);
            }
            if (r.nextBoolean()) {
                s.append("x".repeat(9000)).append('\r');
            }
            String text = s.toString();
            assertThat(lines(new LineReader(new StringReader(text), 1 << 20))).isEqualTo(buffered(text));
        }
    }

    @Test
    void aLineLongerThanTheLimitFails() throws IOException {
        LineReader r = new LineReader(new StringReader("abc\n" + "x".repeat(20_000) + "\nok\n"), 10_000);
        assertThat(r.readLine()).isEqualTo("abc");
        assertThatThrownBy(r::readLine).isInstanceOf(LineReader.TooLong.class);
        LineReader exact = new LineReader(new StringReader("x".repeat(10_000)), 10_000);
        assertThat(exact.readLine()).hasSize(10_000);
    }
}
