package io.oddball.runtime.data;

import static io.oddball.runtime.data.TestData.FASHION;
import static io.oddball.runtime.data.TestData.FASHION_LABELS;
import static io.oddball.runtime.data.TestData.MNIST;
import static io.oddball.runtime.data.TestData.SHARED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderProviderTest {
    private static final int PIXELS = 28 * 28;

    private final IdxReaderProvider reader = new IdxReaderProvider();

    @TempDir
    Path tmp;

    @Test
    void readsTheFashionMnistSliceWithItsSiblingLabels() {
        byte[] raw = TestData.gunzip(FASHION);
        byte[] rawLabels = TestData.gunzip(FASHION_LABELS);
        Dataset d = TestData.open(reader, FASHION, Map.of());

        assertThat(d.instanceShape()).isEqualTo(Shape.of(28, 28, 1));
        assertThat(d.size()).hasValue(2000);
        assertThat(d.hasLabels()).isTrue();
        float[] values = TestData.values(d, 500);
        assertThat(values).hasSize(2000 * PIXELS);
        assertThat(Arrays.copyOf(values, PIXELS)).containsExactly(TestData.unsigned(raw, 16, 16 + PIXELS));
        assertThat(Arrays.copyOfRange(values, 1999 * PIXELS, 2000 * PIXELS))
                .containsExactly(TestData.unsigned(raw, 16 + 1999 * PIXELS, 16 + 2000 * PIXELS));
        // README facts: first image sums to 33456, its first non-zero pixel is at flat index 215
        double sum = 0;
        for (int i = 0; i < PIXELS; i++) {
            sum += values[i];
        }
        assertThat(sum).isEqualTo(33456);
        assertThat(values[214]).isZero();
        assertThat(values[215]).isPositive();
        int[] labels = TestData.labels(d, 500);
        assertThat(labels).hasSize(2000).startsWith(9, 2, 1, 1, 6, 1, 4, 6, 5, 7);
        for (int i = 0; i < labels.length; i++) {
            assertThat(labels[i]).isEqualTo(rawLabels[8 + i]);
        }
    }

    @Test
    void readsTheMnistSlice() {
        Dataset d = TestData.open(reader, MNIST, Map.of());
        assertThat(d.size()).hasValue(2000);
        assertThat(TestData.labels(d, 2000)).startsWith(7, 2, 1, 0, 4, 1, 4, 9, 5, 9);
        float[] first = TestData.batches(d, 1).get(0).row(0);
        assertThat(first[201]).isZero();
        assertThat(first[202]).isPositive();
    }

    @Test
    void labelsOptionAndLabelsFalse() {
        Path images = TestData.write(tmp, "renamed.idx.gz", TestData.gzip(TestData.gunzip(FASHION)));
        assertThat(TestData.open(reader, images, Map.of()).hasLabels()).isFalse();
        Dataset labelled = TestData.open(reader, images, Map.of("labels", FASHION_LABELS.toString()));
        assertThat(TestData.labels(labelled, 100)).startsWith(9, 2, 1, 1, 6);
        assertThat(TestData.open(reader, FASHION, Map.of("labels", false)).hasLabels()).isFalse();
    }

    @Test
    void readsUncompressedAndOtherElementTypes() {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 3 * 2 * 4);
        b.putInt(0x00000D02).putInt(3).putInt(2);
        for (int i = 0; i < 6; i++) {
            b.putFloat(i * 0.5f - 1);
        }
        Path file = TestData.write(tmp, "floats.idx", b.array());
        Dataset d = TestData.open(reader, file, Map.of());
        assertThat(d.instanceShape()).isEqualTo(Shape.of(2));
        assertThat(TestData.values(d, 2)).containsExactly(-1f, -0.5f, 0f, 0.5f, 1f, 1.5f);
    }

    /** The first {@code n} Fashion-MNIST images as an uncompressed IDX file's bytes. */
    private static byte[] head(int n) {
        byte[] raw = TestData.gunzip(FASHION);
        byte[] out = Arrays.copyOf(raw, 16 + n * PIXELS);
        ByteBuffer.wrap(out).putInt(4, n);
        return out;
    }

    @Test
    void truncatedUncompressedFilesFailAtOpenNamingTheOffset() {
        byte[] ten = head(10);
        Path magic = TestData.write(tmp, "cut2-images-idx3-ubyte", Arrays.copyOf(ten, 2));
        assertThatThrownBy(() -> reader.open(magic, io.oddball.api.Params.empty())).isInstanceOf(DataException.class)
                .hasMessage(magic + ": the IDX magic number at byte offset 0: expected 4 bytes, found 2 (the data "
                        + "ends there)");
        Path dims = TestData.write(tmp, "cut10-images-idx3-ubyte", Arrays.copyOf(ten, 10));
        assertThatThrownBy(() -> TestData.open(reader, dims, Map.of()))
                .hasMessage(dims + ": the IDX dimensions at byte offset 4: expected 12 bytes, found 6 (the data ends "
                        + "there)");
        Path record = TestData.write(tmp, "cut-images-idx3-ubyte", Arrays.copyOf(ten, 16 + 3 * PIXELS + 100));
        assertThatThrownBy(() -> TestData.open(reader, record, Map.of()))
                .hasMessageStartingWith(record + ": record 3 at byte offset 2368: expected 7856 bytes in all")
                .hasMessageEndingWith("found 2468 bytes (the file is truncated)");
    }

    @Test
    void truncatedGzipFilesFailDuringThePassNamingRecordAndOffset() {
        byte[] ten = head(10);
        Path cut = TestData.write(tmp, "cut-images-idx3-ubyte.gz", TestData.gzip(Arrays.copyOf(ten, 16 + 3 * PIXELS
                + 100)));
        Dataset d = TestData.open(reader, cut, Map.of());
        assertThat(d.size()).hasValue(10);
        try (BatchIterator it = d.batches(2)) {
            assertThat(it.next().size()).isEqualTo(2);
            assertThatThrownBy(it::next).isInstanceOf(DataException.class)
                    .hasMessage(cut + ": record 3 at uncompressed byte offset 2368: expected 784 bytes, found 100 "
                            + "(the data ends there)");
        }
        byte[] gz = TestData.gzip(ten);
        Path broken = TestData.write(tmp, "broken-images-idx3-ubyte.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> TestData.values(TestData.open(reader, broken, Map.of()), 4))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(broken + ": record ")
                .hasMessageContaining("expected intact gzip data, found EOFException");
    }

    @Test
    void wrongMagicRankAndDimsAreNamed() {
        byte[] bad = head(2);
        bad[0] = 0x1A;
        Path magic = TestData.write(tmp, "magic.idx", bad);
        assertThatThrownBy(() -> TestData.open(reader, magic, Map.of())).hasMessage(magic
                + ": the IDX magic number at byte offset 0: expected two zero bytes, a type code and a rank (e.g. "
                + "0x00000803), found 0x1a000803");
        byte[] type = head(2);
        type[2] = 0x07;
        Path typeFile = TestData.write(tmp, "type.idx", type);
        assertThatThrownBy(() -> TestData.open(reader, typeFile, Map.of()))
                .hasMessageContaining("expected a type code 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e in byte 2, found "
                        + "0x00000703");
        byte[] rank = head(2);
        rank[3] = 0;
        Path rankFile = TestData.write(tmp, "rank.idx", rank);
        assertThatThrownBy(() -> TestData.open(reader, rankFile, Map.of()))
                .hasMessageContaining(rankFile + ": the IDX magic number at byte offset 0: expected a rank 1..8");
        byte[] wide = head(10);
        ByteBuffer.wrap(wide).putInt(12, 29);
        Path wideFile = TestData.write(tmp, "wide.idx", wide);
        assertThatThrownBy(() -> TestData.open(reader, wideFile, Map.of())).hasMessage(wideFile
                + ": record 9 at byte offset 7324: expected 8136 bytes in all (16-byte header + 10 records x 812 "
                + "bytes, from the dimensions uint8 10x28x29), found 7856 bytes (the file is truncated)");
        Path wideGz = TestData.write(tmp, "wide.idx.gz", TestData.gzip(wide));
        assertThatThrownBy(() -> TestData.values(TestData.open(reader, wideGz, Map.of()), 3))
                .hasMessage(wideGz + ": record 9 at uncompressed byte offset 7324: expected 812 bytes, found 532 (the "
                        + "data ends there)");
        byte[] zero = head(2);
        ByteBuffer.wrap(zero).putInt(8, 0);
        Path zeroFile = TestData.write(tmp, "zero.idx", zero);
        assertThatThrownBy(() -> TestData.open(reader, zeroFile, Map.of()))
                .hasMessage(zeroFile + ": IDX dimension 1 at byte offset 8: expected a size >= 1, found 0");
    }

    @Test
    void payloadLongerThanTheDimsIsAnError() {
        byte[] ten = head(10);
        ByteBuffer.wrap(ten).putInt(4, 9);
        Path raw = TestData.write(tmp, "long.idx", ten);
        assertThatThrownBy(() -> TestData.open(reader, raw, Map.of()))
                .hasMessage(raw + ": byte offset 7072: expected 7072 bytes in all (16-byte header + 9 records x 784 "
                        + "bytes, from the dimensions uint8 9x28x28), found 7856 bytes (784 trailing bytes)");
        Path gz = TestData.write(tmp, "long.idx.gz", TestData.gzip(ten));
        assertThatThrownBy(() -> TestData.values(TestData.open(reader, gz, Map.of()), 4))
                .hasMessage(gz + ": uncompressed byte offset 7072: expected the end of the data after the 9 records "
                        + "its header announces, found more bytes");
    }

    @Test
    void labelCountMustMatch() {
        Path images = TestData.write(tmp, "x-images-idx3-ubyte", head(10));
        byte[] labels = ByteBuffer.allocate(8 + 9).putInt(0x801).putInt(9).array();
        Path labelFile = TestData.write(tmp, "x-labels-idx1-ubyte", labels);
        assertThatThrownBy(() -> TestData.open(reader, images, Map.of()))
                .hasMessage(labelFile + ": expected 10 labels (one per record of " + images + "), found 9");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = tmp.resolve("nope-images-idx3-ubyte.gz");
        assertThatThrownBy(() -> TestData.open(reader, missing, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": expected an existing file, found nothing (file not found)");
    }

    @Test
    void streamsTheFullFashionMnistTrainingSet() {
        Path train = SHARED.resolve("fashion-mnist/train-images-idx3-ubyte.gz");
        Assumptions.assumeTrue(Files.exists(train), "full data not present");
        Dataset d = TestData.open(reader, train, Map.of());
        assertThat(d.size()).hasValue(60000);
        long n = 0;
        long[] perClass = new long[10];
        int largest = 0;
        try (BatchIterator it = d.batches(1000)) {
            while (it.hasNext()) {
                Batch b = it.next();
                largest = Math.max(largest, b.size());
                n += b.size();
                for (int l : b.labels()) {
                    perClass[l]++;
                }
            }
        }
        assertThat(n).isEqualTo(60000);
        assertThat(largest).isEqualTo(1000);
        assertThat(perClass).containsOnly(6000);
    }

    @Test
    void sliceEqualsTheStartOfTheFullTestSet() {
        Path full = SHARED.resolve("fashion-mnist/t10k-images-idx3-ubyte.gz");
        Assumptions.assumeTrue(Files.exists(full), "full data not present");
        Dataset d = TestData.open(reader, full, Map.of("limit", 2000));
        assertThat(TestData.values(d, 1000)).isEqualTo(TestData.values(TestData.open(reader, FASHION, Map.of()),
                1000));
        assertThat(TestData.labels(d, 1000)).isEqualTo(TestData.labels(TestData.open(reader, FASHION, Map.of()),
                1000));
    }
}
