package io.oddball.runtime.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionWriterTest {
    @TempDir
    Path tmp;

    @Test
    void csvRows() throws Exception {
        Path f = tmp.resolve("p.csv");
        try (PredictionWriter w = new PredictionWriter(f, PredictionWriter.Format.CSV, Map.of())) {
            w.write(0, 0.25f, false);
            w.write(1, 1.5f, true);
            w.commit();
        }
        assertThat(Files.readAllLines(f)).containsExactly("index,instance_score,is_outlier", "0,0.25,0", "1,1.5,1");
    }

    @Test
    void jsonHasMetaAndPredictions() throws Exception {
        Path f = tmp.resolve("p.json");
        try (PredictionWriter w = new PredictionWriter(f, PredictionWriter.Format.JSON, Map.of("threshold", 0.5))) {
            w.write(0, 0.25f, false);
            w.write(1, Float.NaN, true);
            w.commit();
        }
        assertThat(Files.readString(f)).isEqualTo("{\"meta\": {\"threshold\": 0.5},\n \"predictions\": [\n"
                + "  {\"index\": 0, \"instance_score\": 0.25, \"is_outlier\": false},\n"
                + "  {\"index\": 1, \"instance_score\": null, \"is_outlier\": true}\n ]}\n");
    }

    @Test
    void npyIsAStructuredArrayWithAValidHeader() throws Exception {
        Path f = tmp.resolve("p.npy");
        try (PredictionWriter w = new PredictionWriter(f, PredictionWriter.Format.NPY, Map.of())) {
            for (int i = 0; i < 10_000; i++) {
                w.write(i, i * 0.5f, i % 3 == 0);
            }
            w.commit();
        }
        byte[] b = Files.readAllBytes(f);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b[0] & 0xff).isEqualTo(0x93);
        assertThat(new String(b, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
        int headerLen = bb.getShort(8);
        assertThat((10 + headerLen) % 64).isZero();
        String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
        assertThat(header).contains("'shape': (10000,)").endsWith("\n");
        assertThat(b.length).isEqualTo(10 + headerLen + 10_000 * 5);
        int at = 10 + headerLen + 7 * 5;
        assertThat(bb.getFloat(at)).isEqualTo(3.5f);
        assertThat(b[at + 4]).isEqualTo((byte) 0);
        assertThat(b[10 + headerLen + 9 * 5 + 4]).isEqualTo((byte) 1);
    }

    @Test
    void anUncommittedWriterLeavesNothing() throws Exception {
        Path f = tmp.resolve("p.csv");
        try (PredictionWriter w = new PredictionWriter(f, PredictionWriter.Format.CSV, Map.of())) {
            w.write(0, 1f, true);
        }
        try (var files = Files.list(tmp)) {
            assertThat(files).isEmpty();
        }
    }
}
