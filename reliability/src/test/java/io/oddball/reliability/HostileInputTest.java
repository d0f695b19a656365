package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inputs made to hang or exhaust a reader, through the CLI: a FIFO or a device as data, labels, {@code evaluate} or
 * {@code report} input or YAML data path (refused before it is opened: opening a FIFO blocks); decompression bombs
 * ({@code .npz}, gzip; about 3 MB on disk expanding to 3 GiB, made at test time); a gzipped CSV of one 3 GiB line;
 * a PNG declaring 100000×100000 pixels; a JPEG cut short; a stored {@code .npz} with a flipped data byte; arrays
 * with no value per instance. Each ends within seconds with exit 1, one {@code oddball:} line naming the file (or
 * the argument, or the YAML path), and nothing written.
 */
class HostileInputTest {
    /** Far more than any case needs (each takes well under a second): a hang or a bomb read through fails here. */
    private static final Duration FAST = Duration.ofSeconds(60);

    static Path knn;
    static Path out;

    @BeforeAll
    static void fit() {
        knn = Fixtures.knn();
        out = Fixtures.folder("hostile");
    }

    /** Runs the CLI, failing if it does not finish within {@link #FAST}. */
    static Cli.Run fast(Object... args) {
        return assertTimeoutPreemptively(FAST, () -> Cli.run(args), () -> "oddball " + Arrays.toString(args));
    }

    static Path fifo(String name) throws IOException, InterruptedException {
        Path p = out.resolve(name);
        Files.deleteIfExists(p);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assumeTrue(mk.waitFor() == 0, "mkfifo is available");
        return p;
    }

    static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(out.resolve(name), bytes);
    }

    @Test
    void aFifoOrADeviceIsRefusedBeforeItIsOpened() throws Exception {
        Path fifo = fifo("pipe.csv");
        Path data = Fixtures.csv("hostile-data.csv", 10, 0, 7);
        Path csv = out.resolve("fifo-scores.csv");
        assertThat(fast("predict", knn, "--data", fifo, "--out", csv).failure().err().strip())
                .isEqualTo("oddball: --data " + fifo + ": expected a regular file or a directory, found a FIFO");
        assertThat(fast("infer-threshold", knn, "--data", fifo, "--percent", 90).failure().err().strip())
                .isEqualTo("oddball: --data " + fifo + ": expected a regular file or a directory, found a FIFO");
        assertThat(fast("evaluate", knn, "--in", data, "--ood", fifo).failure().err().strip())
                .isEqualTo("oddball: --ood " + fifo + ": expected a regular file or a directory, found a FIFO");
        Path html = out.resolve("fifo-report.html");
        assertThat(fast("report", knn, "--in", fifo, "--ood", data, "--out", html).failure().err().strip())
                .isEqualTo("oddball: --in " + fifo + ": expected a regular file or a directory, found a FIFO");
        assertThat(html).doesNotExist();

        Path npy = BadDataTest.npyImages("hostile-x.npy", 4, 1);
        Path labels = fifo("labels.npy");
        assertThat(fast("evaluate", knn, "--in", npy, "--ood", npy, "-O", "labels=" + labels).failure().err()
                .strip()).isEqualTo("oddball: " + labels + ": expected a regular file, found a FIFO");

        Path yaml = Fixtures.write("hostile-fifo.yaml", "detector: {type: knn}\ndata:\n  train: {path: " + fifo
                + "}\n");
        Path dir = out.resolve("fifo-knn");
        assertThat(fast("fit", yaml, "--out", dir).failure().err().strip()).isEqualTo("oddball: " + yaml
                + ":3 data.train.path: expected a regular file or a directory, found a FIFO (" + fifo + ")");
        assertThat(dir).doesNotExist();

        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertThat(fast("predict", knn, "--data", zero, "--format", "csv", "--out", csv).failure().err().strip())
                    .isEqualTo("oddball: --data /dev/zero: expected a regular file or a directory, found a character "
                            + "device");
        }
        assertThat(csv).doesNotExist();
    }

    @Test
    void aFifoInAnImagesFolderIsSkipped() throws Exception {
        Path folder = Files.createDirectories(out.resolve("images-with-fifo"));
        Random r = new Random(11);
        for (int i = 0; i < 6; i++) {
            Files.write(folder.resolve("img" + i + ".png"), Samples.image(r, 8, 8, "png"));
        }
        Path fifo = fifo("images-with-fifo/zz.png");
        Path yaml = Fixtures.write("hostile-images.yaml", "detector: {type: knn, k: 2}\ndata: {train: {path: "
                + folder + "}}\n");
        Path dir = out.resolve("images-knn");
        Cli.Run fit = fast("fit", yaml, "--out", dir).ok();
        assertThat(fit.out()).contains("(6 instances)");
        Path csv = out.resolve("images-scores.csv");
        fast("predict", dir, "--data", folder, "--out", csv).ok();
        assertThat(Files.readAllLines(csv)).hasSize(1 + 6);
        // the FIFO itself, named as the data, is refused like any other
        assertThat(fast("predict", dir, "--data", fifo, "--out", out.resolve("never.csv")).failure().err().strip())
                .isEqualTo("oddball: --data " + fifo + ": expected a regular file or a directory, found a FIFO");
        // links back to a folder being read (self -> ., sub/back -> ..) are loops: skipped, the 6 images scored; it
        // was 'internal error: java.io.UncheckedIOException: java.nio.file.FileSystemLoopException'
        Files.createSymbolicLink(folder.resolve("self"), Path.of("."));
        Files.createSymbolicLink(Files.createDirectories(folder.resolve("sub")).resolve("back"), Path.of(".."));
        Path looped = out.resolve("images-looped.csv");
        Cli.Run loop = fast("predict", dir, "--data", folder, "--out", looped).ok();
        assertThat(loop.err()).isEmpty();
        assertThat(Files.readAllLines(looped)).isEqualTo(Files.readAllLines(csv));
    }

    /** 3072 MiB of float32 zeros as {@code (N, 4)}, after a {@code .npy} header: the payload of the bombs. */
    static final int BOMB_MIB = 3072;
    static final long BOMB_ROWS = ((long) BOMB_MIB << 20) / 16;

    static byte[] bombHeader() {
        return Samples.npy("<f4", "(" + BOMB_ROWS + ", 4)", new byte[0]);
    }

    @Test
    void anNpzZipBombFailsAtItsHeader() throws IOException {
        Path bomb = write("bomb.npz", Samples.zipOfZeros("x.npy", bombHeader(), BOMB_MIB));
        assertThat(Files.size(bomb)).isLessThan(4L << 20);
        String expected = "oddball: " + bomb + "!x.npy: the .npy header at byte offset 10: expected at most "
                + (2L << 30) + " bytes in all (the reader option maxBytes for uncompressed data; raise it for larger "
                + "data), found '<f4' (" + BOMB_ROWS + ", 4) (" + (((long) BOMB_MIB << 20) + 128) + " bytes)";
        Path csv = out.resolve("bomb-scores.csv");
        assertThat(fast("predict", knn, "--data", bomb, "--out", csv).failure().err().strip()).isEqualTo(expected);
        assertThat(csv).doesNotExist();
        Path yaml = Fixtures.write("hostile-bomb.yaml", "detector: {type: knn}\ndata: {train: {path: " + bomb
                + "}}\n");
        Path dir = out.resolve("bomb-knn");
        assertThat(fast("fit", yaml, "--out", dir).failure().err().strip()).isEqualTo(expected);
        assertThat(dir).doesNotExist();
    }

    @Test
    void aGzipBombFailsAtItsHeaderOrAtTheLimit() throws IOException {
        Path npyGz = write("bomb.npy.gz", Samples.gzippedZeros(bombHeader(), BOMB_MIB));
        Path csv = out.resolve("gz-bomb-scores.csv");
        assertThat(fast("predict", knn, "--data", npyGz, "--out", csv).failure().err().strip())
                .isEqualTo("oddball: " + npyGz + ": the .npy header at uncompressed byte offset 10: expected at most "
                        + (2L << 30) + " bytes in all (the reader option maxBytes for uncompressed data; raise it "
                        + "for larger data), found '<f4' (" + BOMB_ROWS + ", 4) (" + (((long) BOMB_MIB << 20) + 128)
                        + " bytes)");
        assertThat(csv).doesNotExist();
        // a lower limit, given as a reader option, stops a stream whose length no header announces (CIFAR-10)
        Path cifar = write("bomb.bin.gz", Samples.gzippedZeros(new byte[0], 64));
        Path yaml = Fixtures.write("hostile-cifar-bomb.yaml", "detector: {type: knn}\ndata: {train: {path: " + cifar
                + ", maxBytes: 1000000}}\n");
        Path dir = out.resolve("cifar-bomb-knn");
        assertThat(fast("fit", yaml, "--out", dir).failure().err().strip()).isEqualTo("oddball: " + cifar
                + ": expected at most 1000000 bytes once uncompressed (reader option maxBytes), found more (the data "
                + "expand past it: a decompression bomb, or data larger than the limit; raise it with maxBytes)");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aGzippedCsvOfOneHugeLineFailsAtTheLineLimit() throws IOException {
        Path gz = write("one-line.csv.gz", Samples.gzippedZeros("a,b,c,d,e\n1,2,3,4,5\n".getBytes(
                StandardCharsets.US_ASCII), BOMB_MIB));
        Path csv = out.resolve("line-scores.csv");
        assertThat(fast("predict", knn, "--data", gz, "--out", csv).failure().err().strip())
                .isEqualTo("oddball: " + gz + ": line 3: expected a line of at most 16777216 characters, found "
                        + "more (no line break: not a CSV file?)");
        assertThat(csv).doesNotExist();
    }

    @Test
    void aStoredNpzWithAFlippedDataByteFailsItsCrc() throws IOException {
        byte[] npy = Samples.npy(new Random(9), 20, 5);
        byte[] zip = Samples.npz(npy, false);
        int at = indexOf(zip, npy) + npy.length - 7;
        zip[at] ^= 0x10;
        Path damaged = write("flipped.npz", zip);
        Path csv = out.resolve("crc-scores.csv");
        String err = fast("predict", knn, "--data", damaged, "--out", csv).failure().err().strip();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(npy);
        assertThat(err).startsWith("oddball: " + damaged + "!x.npy: the zip entry's CRC-32: expected "
                + String.format("0x%08x", crc.getValue()) + " (from the archive's directory), found 0x")
                .endsWith(" (the entry is damaged)");
        assertThat(csv).doesNotExist();
        // the intact archive reads
        fast("predict", knn, "--data", write("intact.npz", Samples.npz(npy, false)), "--out", csv).ok();
    }

    @Test
    void anImageDeclaringTenBillionPixelsIsRefusedBeforeDecoding() throws IOException {
        Path dir = imagesDetector();
        Path png = write("huge.png", Samples.pngDeclaring(100_000, 100_000));
        assertThat(Files.size(png)).isLessThan(4096);
        Path csv = out.resolve("huge-scores.csv");
        assertThat(fast("predict", dir, "--data", png, "--out", csv).failure().err().strip())
                .isEqualTo("oddball: " + png + ": expected an image of at most 50000000 pixels (reader option "
                        + "maxImagePixels), found 100000x100000 (10000000000 pixels) in its header");
        assertThat(fast("predict", dir, "--data", png, "--out", csv, "-O", "maxImagePixels=1000").failure().err())
                .contains("expected an image of at most 1000 pixels");
        assertThat(csv).doesNotExist();
    }

    @Test
    void aJpegCutShortIsRefused() throws IOException {
        Path dir = imagesDetector();
        byte[] jpeg = Samples.image(new Random(5), 64, 64, "jpg");
        Path cut = write("cut.jpg", Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
        Path csv = out.resolve("cut-scores.csv");
        assertThat(fast("predict", dir, "--data", cut, "--out", csv).failure().err().strip())
                .startsWith("oddball: " + cut + ": expected an intact image, found damaged image data (the decoder "
                        + "warns: ");
        assertThat(csv).doesNotExist();
        fast("predict", dir, "--data", write("whole.jpg", jpeg), "--out", csv).ok();
    }

    @Test
    void dataWithNoValuePerInstanceIsRefused() throws IOException {
        Path empty = write("zero-width.npy", Samples.npy("<f4", "(40, 0)", new byte[0]));
        Path yaml = Fixtures.write("hostile-zero-width.yaml", "detector: {type: knn}\ndata: {train: {path: " + empty
                + "}}\n");
        Path dir = out.resolve("zero-width-knn");
        assertThat(fast("fit", yaml, "--out", dir).failure().err().strip()).isEqualTo("oddball: " + empty
                + ": the .npy header at byte offset 10: expected at least one value per instance, found '<f4' (40, 0)");
        assertThat(dir).doesNotExist();

        Path labelOnly = Fixtures.write("label-only.csv", "label\n0\n1\n0\n");
        Path yamlCsv = Fixtures.write("hostile-label-only.yaml", "detector: {type: knn}\ndata: {train: {path: "
                + labelOnly + ", labelColumn: label}}\n");
        assertThat(fast("fit", yamlCsv, "--out", dir).failure().err().strip()).isEqualTo("oddball: " + labelOnly
                + ": expected at least one feature column, found none (1 columns, label column 0)");
        assertThat(dir).doesNotExist();
    }

    private static Path imagesDetector;

    /** A KNN detector fitted on six 8×8 RGB PNG images. */
    static synchronized Path imagesDetector() throws IOException {
        if (imagesDetector == null) {
            Path folder = Files.createDirectories(out.resolve("images"));
            Random r = new Random(3);
            for (int i = 0; i < 6; i++) {
                Files.write(folder.resolve("img" + i + ".png"), Samples.image(r, 8, 8, "png"));
            }
            Path yaml = Fixtures.write("hostile-images-knn.yaml", "detector: {type: knn, k: 2}\ndata: {train: {path: "
                    + folder + "}}\n");
            imagesDetector = out.resolve("images-detector");
            Cli.run("fit", yaml, "--out", imagesDetector).ok();
        }
        return imagesDetector;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
