package io.oddball.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.data.DataReaderProvider;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFormatsTest {
    @TempDir
    Path tmp;

    private static Map<String, DataReaderProvider> readers() {
        Map<String, DataReaderProvider> m = new TreeMap<>();
        ServiceLoader.load(DataReaderProvider.class).forEach(r -> m.put(r.name(), r));
        return m;
    }

    private String resolve(String fileName) {
        Path p = TestData.write(tmp, fileName, new byte[] {1});
        return DataFormats.resolve(p, null, readers()).name();
    }

    @Test
    void everyReaderIsRegisteredUnderItsName() {
        assertThat(readers()).containsOnlyKeys(IdxReaderProvider.NAME, Cifar10ReaderProvider.NAME,
                NpyReaderProvider.NAME, NpzReaderProvider.NAME, CsvReaderProvider.NAME, ImagesReaderProvider.NAME);
        readers().forEach((name, r) -> assertThat(r.version()).isEqualTo("1.0"));
    }

    @Test
    void picksByLongestEnding() {
        assertThat(resolve("train-images-idx3-ubyte.gz")).isEqualTo("idx");
        assertThat(resolve("t10k-labels-idx1-ubyte")).isEqualTo("idx");
        assertThat(resolve("x.IDX")).isEqualTo("idx");
        assertThat(resolve("data_batch_1.bin.gz")).isEqualTo("cifar10");
        assertThat(resolve("test_batch.bin")).isEqualTo("cifar10");
        assertThat(resolve("emb.npy")).isEqualTo("npy");
        assertThat(resolve("emb.npz")).isEqualTo("npz");
        assertThat(resolve("rows.csv.gz")).isEqualTo("csv");
        assertThat(resolve("cat.jpeg")).isEqualTo("images");
        assertThat(DataFormats.resolve(tmp, null, readers()).name()).isEqualTo("images");
        assertThat(DataFormats.resolve(TestData.FASHION, null, readers()).name()).isEqualTo("idx");
    }

    @Test
    void explicitFormatWins() {
        Path p = TestData.write(tmp, "weird.dat", new byte[] {1});
        assertThat(DataFormats.resolve(p, "cifar10", readers()).name()).isEqualTo("cifar10");
        assertThatThrownBy(() -> DataFormats.resolve(p, "parquet", readers())).isInstanceOf(ConfigException.class)
                .hasMessage("format: expected one of [cifar10, csv, idx, images, npy, npz], found 'parquet'");
    }

    @Test
    void unknownEndingAndMissingFile() {
        Path p = TestData.write(tmp, "weird.dat", new byte[] {1});
        assertThatThrownBy(() -> DataFormats.resolve(p, null, readers())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(p + ": expected a file name ending as one of the known formats (cifar10 "
                        + "[.bin, .bin.gz], csv [.csv, .csv.gz], idx")
                .hasMessageEndingWith("found 'weird.dat'; name the format with --format (YAML format:)");
        Path missing = tmp.resolve("gone.npy");
        assertThatThrownBy(() -> DataFormats.resolve(missing, null, readers())).isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": expected an existing file, found nothing (file not found)");
    }
}
