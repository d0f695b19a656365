package io.oddball.runtime.data;

import static io.oddball.runtime.data.TestData.CIFAR;
import static io.oddball.runtime.data.TestData.SHARED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderProviderTest {
    private static final int RECORD = 3073;
    private static final int VALUES = 3072;

    private final Cifar10ReaderProvider reader = new Cifar10ReaderProvider();

    @TempDir
    Path tmp;

    @Test
    void readsTheSliceChannelsLast() {
        byte[] raw = TestData.gunzip(CIFAR);
        Dataset d = TestData.open(reader, CIFAR, Map.of());
        assertThat(d.instanceShape()).isEqualTo(Shape.of(32, 32, 3));
        assertThat(d.size()).isEmpty();
        float[] values = TestData.values(d, 128);
        int[] labels = TestData.labels(d, 128);
        assertThat(labels).hasSize(1000).startsWith(6, 9, 9, 4, 1, 1, 2, 7, 8, 3);
        // README fact: the first R bytes of the first record are 59 43 50 68 98 (channel 0 of pixels 0..4)
        assertThat(new float[] {values[0], values[3], values[6], values[9], values[12]})
                .containsExactly(59, 43, 50, 68, 98);
        for (int r : new int[] {0, 1, 517, 999}) {
            assertThat(labels[r]).isEqualTo(raw[r * RECORD]);
            for (int p = 0; p < 1024; p += 37) {
                for (int c = 0; c < 3; c++) {
                    assertThat(values[r * VALUES + p * 3 + c]).isEqualTo(raw[r * RECORD + 1 + c * 1024 + p] & 0xFF);
                }
            }
        }
    }

    @Test
    void uncompressedSizeComesFromTheFileLength() {
        Path bin = TestData.write(tmp, "twenty.bin", Arrays.copyOf(TestData.gunzip(CIFAR), 20 * RECORD));
        Dataset d = TestData.open(reader, bin, Map.of());
        assertThat(d.size()).hasValue(20);
        assertThat(TestData.values(d, 7)).isEqualTo(Arrays.copyOf(TestData.values(
                TestData.open(reader, CIFAR, Map.of("limit", 20)), 1000), 20 * VALUES));
    }

    @Test
    void labelAbove9IsAnError() {
        byte[] bytes = Arrays.copyOf(TestData.gunzip(CIFAR), 5 * RECORD);
        bytes[2 * RECORD] = (byte) 200;
        Path bin = TestData.write(tmp, "label200.bin", bytes);
        assertThatThrownBy(() -> TestData.values(TestData.open(reader, bin, Map.of()), 10))
                .isInstanceOf(DataException.class)
                .hasMessage(bin + ": record 2 at byte offset 6146: expected a label byte 0..9, found 200");
    }

    @Test
    void truncatedLastRecordIsNamed() {
        byte[] bytes = Arrays.copyOf(TestData.gunzip(CIFAR), 4 * RECORD + 1000);
        Path bin = TestData.write(tmp, "cut.bin", bytes);
        assertThatThrownBy(() -> TestData.open(reader, bin, Map.of())).isInstanceOf(DataException.class)
                .hasMessage(bin + ": record 4 at byte offset 12292: expected 15365 bytes in all (0-byte header + 5 "
                        + "records x 3073 bytes, CIFAR-10 records of 1 label byte + 3072 pixel bytes), found 13292 "
                        + "bytes (the file is truncated)");
        Path gz = TestData.write(tmp, "cut.bin.gz", TestData.gzip(bytes));
        Dataset d = TestData.open(reader, gz, Map.of());
        try (BatchIterator it = d.batches(2)) {
            assertThat(it.next().size()).isEqualTo(2);
            assertThat(it.next().size()).isEqualTo(2);
            assertThatThrownBy(it::next).isInstanceOf(DataException.class)
                    .hasMessage(gz + ": record 4 at uncompressed byte offset 12292: expected 3073 bytes, found 1000 "
                            + "(the data ends there)");
        }
    }

    @Test
    void readsTheFullExactBatch() {
        Path full = SHARED.resolve("cifar10/data_batch_1_first4000_exact.bin.gz");
        Assumptions.assumeTrue(Files.exists(full), "full data not present");
        long n = 0;
        try (BatchIterator it = TestData.open(reader, full, Map.of()).batches(500)) {
            while (it.hasNext()) {
                n += it.next().size();
            }
        }
        assertThat(n).isEqualTo(4000);
    }
}
