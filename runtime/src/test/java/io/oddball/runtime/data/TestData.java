package io.oddball.runtime.data;

import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.DataReaderProvider;
import io.oddball.api.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Helpers shared by the reader tests: paths of the shipped slices, gzip, and reading a dataset in full. */
final class TestData {
    /** The shipped slices (tests run in the module directory). */
    static final Path DATA = Path.of("../data");
    static final Path FASHION = DATA.resolve("fashion-mnist/fashion-mnist-test-2000-images-idx3-ubyte.gz");
    static final Path FASHION_LABELS = DATA.resolve("fashion-mnist/fashion-mnist-test-2000-labels-idx1-ubyte.gz");
    static final Path MNIST = DATA.resolve("mnist/mnist-test-2000-images-idx3-ubyte.gz");
    static final Path CIFAR = DATA.resolve("cifar10/cifar10-data-batch-1-first1000.bin.gz");
    /**
     * The full data sets beside the checkout ({@code ../shared/data}, as on the development machines and in CI);
     * tests using them are skipped where absent.
     */
    static final Path SHARED = java.nio.file.Files.isDirectory(Path.of("../../shared/data"))
            ? Path.of("../../shared/data").toAbsolutePath().normalize() : Path.of("/work/shared/data");

    private TestData() {
    }

    /** Opens {@code path} with {@code options} and checks that every option was used. */
    static Dataset open(DataReaderProvider reader, Path path, Map<String, ?> options) {
        Params params = Params.of(options);
        Dataset d = reader.open(path, params);
        params.finish();
        return d;
    }

    /** Every batch of one pass. */
    static List<Batch> batches(Dataset d, int batchSize) {
        List<Batch> out = new ArrayList<>();
        try (BatchIterator it = d.batches(batchSize)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** All values of one pass in batches of {@code batchSize}, concatenated. */
    static float[] values(Dataset d, int batchSize) {
        return batches(d, batchSize).stream().map(Batch::toArray).reduce(new float[0], TestData::concat);
    }

    /** All labels of one pass in batches of {@code batchSize}, concatenated. */
    static int[] labels(Dataset d, int batchSize) {
        return batches(d, batchSize).stream().map(Batch::labels).reduce(new int[0], (a, b) -> {
            int[] c = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return c;
        });
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static byte[] gunzip(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            return Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, String text) {
        return write(dir, name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Unsigned bytes as floats. */
    static float[] unsigned(byte[] bytes, int from, int to) {
        float[] out = new float[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = bytes[i] & 0xFF;
        }
        return out;
    }
}
