package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.cli.Main;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Saved detectors that cannot be trusted: a newer format, missing or truncated model files, a hand-edited shape, a
 * broken descriptor. Each is refused by {@code oddball predict} with exit 1 and one line naming the file, and nothing
 * is written. A save killed half-way (a child JVM, SIGKILL) leaves the previous detector intact and loadable.
 */
class SavedDetectorTest {
    static Path out;
    static Path data;

    @BeforeAll
    static void setUp() {
        Fixtures.knn();
        out = Fixtures.folder("saved");
        data = Fixtures.csv("saved-data.csv", 10, 0, 8);
    }

    /** A copy of the fitted detector changed by {@code edit}, then {@code oddball predict} on it: the error line. */
    static String predictError(String name, Edit edit) throws IOException {
        Path dir = Fixtures.copyOf(Fixtures.knn(), Fixtures.folder("saved-" + name));
        edit.apply(dir);
        Path csv = out.resolve(name + ".csv");
        Cli.Run r = Cli.run("predict", dir, "--data", data, "--out", csv).failure();
        assertThat(csv).doesNotExist();
        return r.err().strip();
    }

    interface Edit {
        void apply(Path dir) throws IOException;
    }

    static Edit descriptor(UnaryOperator<String> change) {
        return dir -> {
            Path d = dir.resolve("detector.yaml");
            String before = Files.readString(d);
            String after = change.apply(before);
            assertThat(after).isNotEqualTo(before);
            Files.writeString(d, after);
        };
    }

    @Test
    void aNewerFormatVersionAsksForAnUpgrade() throws IOException {
        assertThat(predictError("newer", descriptor(s -> s.replace("formatVersion: 1", "formatVersion: 3"))))
                .endsWith("detector.yaml formatVersion: expected at most 2, found 3; it was written by a newer "
                        + "Oddball: upgrade to load it");
        assertThat(predictError("newer-knn", dir -> {
            Path p = dir.resolve("model/knn.properties");
            Files.writeString(p, Files.readString(p).replaceFirst("(?m)^formatVersion=\\d+", "formatVersion=9"));
        })).contains("knn.properties").contains("saved by a newer Oddball");
    }

    @Test
    void missingOrTruncatedModelFilesAreNamed() throws IOException {
        assertThat(predictError("no-reference", dir -> Files.delete(dir.resolve("model/reference.npy"))))
                .contains("reference.npy");
        assertThat(predictError("truncated-reference", dir -> {
            try (FileChannel c = FileChannel.open(dir.resolve("model/reference.npy"), StandardOpenOption.WRITE)) {
                c.truncate(c.size() / 2);
            }
        })).contains("reference.npy: expected 6128 bytes for a <f4 array of shape [300, 5], found 3064 (truncated)");
        assertThat(predictError("no-model", dir -> {
            for (Path p : List.of(dir.resolve("model/reference.npy"), dir.resolve("model/knn.properties"),
                    dir.resolve("model"))) {
                Files.delete(p);
            }
        })).endsWith("model: expected the model folder, found nothing");
        assertThat(predictError("no-descriptor", dir -> Files.delete(dir.resolve("detector.yaml"))))
                .endsWith("detector.yaml: expected the saved detector's descriptor, found no such file");
    }

    @Test
    void aHandEditedShapeOrBrokenDescriptorIsRefused() throws IOException {
        assertThat(predictError("shape", descriptor(s -> s.replaceFirst("inputShape:\\n- 5", "inputShape:\n- 6"))))
                .endsWith("detector.yaml inputShape: expected the model's shape 5, found 6");
        assertThat(predictError("not-yaml", descriptor(s -> s + "\n  : : [\n")))
                .endsWith("detector.yaml:36: invalid YAML: expected <block end>, but "
                        + "found '<block mapping start>'");
        assertThat(predictError("self-alias", descriptor(s -> s + "extra: &a [*a]\n")))
                .endsWith("detector.yaml:35 extra[0]: expected an alias to a block that does not contain it, found an "
                        + "alias that refers to itself");
        assertThat(predictError("threshold", descriptor(s -> s.replaceFirst("value: [0-9.]+", "value: high"))))
                .endsWith("detector.yaml threshold.value: expected a finite number, found high");
        assertThat(predictError("scaling-nan", dir -> {
            Path p = dir.resolve("model/knn.properties");
            Files.writeString(p, Files.readString(p).replaceFirst("(?m)^scalingFactor=.*$", "scalingFactor=NaN"));
        })).endsWith("knn.properties: scalingFactor: expected a finite number > 0, found NaN");
        // the copy in detector.yaml's hyperParameters: named once (it was 'hyperParameters: hyperParameters.…')
        assertThat(predictError("scaling-nan-yaml", descriptor(s -> s.replaceFirst("scalingFactor: [0-9.]+",
                "scalingFactor: .nan")))).endsWith("model: hyperParameters.scalingFactor: expected a number > 0, "
                        + "found NaN");
        assertThat(predictError("threshold-nan", descriptor(s -> s.replaceFirst("value: [0-9.]+", "value: .nan"))))
                .endsWith("detector.yaml threshold.value: expected a finite number, found NaN");
        assertThat(predictError("type", descriptor(s -> s.replace("type: knn", "type: knn2"))))
                .contains("detector.type: expected a known detector type [").contains("found 'knn2'");
    }

    @Test
    void aSavedDetectorsFilesThatAreFifosAreRefusedNotWaitedFor() throws IOException {
        for (String name : List.of("model/reference.npy", "model/knn.properties", "detector.yaml")) {
            String error = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                    () -> predictError("fifo-" + name.replace('/', '-'), dir -> {
                        Files.delete(dir.resolve(name));
                        Process p = new ProcessBuilder("mkfifo", dir.resolve(name).toString()).start();
                        try {
                            assertThat(p.waitFor()).isZero();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }));
            assertThat(error).as(name).contains(name.substring(name.indexOf('/') + 1)).containsAnyOf(
                    "expected a regular file, found a FIFO", "found no regular file (a FIFO, device or folder)",
                    "(a regular file), found a FIFO");
        }
    }

    @Test
    void inferThresholdWritesThroughADescriptorThatIsALink() throws IOException {
        Path dir = Fixtures.copyOf(Fixtures.knn(), Fixtures.folder("saved-linked-descriptor").resolve("knn"));
        Path kept = dir.resolveSibling("descriptors").resolve("knn.yaml");
        Files.createDirectories(kept.getParent());
        Files.move(dir.resolve("detector.yaml"), kept);
        Files.createSymbolicLink(dir.resolve("detector.yaml"), kept);
        String before = Files.readString(kept);
        Cli.run("infer-threshold", dir, "--data", data, "--percent", 50).ok();
        assertThat(Files.isSymbolicLink(dir.resolve("detector.yaml"))).isTrue();
        assertThat(Files.readSymbolicLink(dir.resolve("detector.yaml"))).isEqualTo(kept);
        assertThat(Files.readString(kept)).isNotEqualTo(before).contains("percentile");
    }

    @Test
    void everyPathInASavedDetectorStaysInsideItsFolder() throws IOException {
        // a saved detector naming itself as its embedding would load itself forever; one naming another folder is
        // not self-contained (and could load anything on disk)
        for (String rel : List.of(".", "..", "../other", "/tmp", "model/../..")) {
            String error = predictError("embed-" + Integer.toHexString(rel.hashCode()),
                    descriptor(s -> s + "embed: {detector: '" + rel + "'}\n"));
            assertThat(error).contains("detector.yaml embed.detector: expected a path inside the saved detector ")
                    .endsWith(", found '" + rel + "'");
        }
        assertThat(predictError("embed-model", descriptor(s -> s + "embed: {type: saved-model, path: /etc}\n")))
                .contains("detector.yaml embed.path: expected a path inside the saved detector ")
                .endsWith(", found '/etc'");
    }

    /**
     * {@code oddball fit} in a child JVM replacing a saved detector with a large one is killed (SIGKILL) while it
     * writes the model: the previous detector is still there, byte for byte, and loads and scores.
     */
    @Test
    void aSaveKilledHalfWayLeavesThePreviousDetectorIntact() throws Exception {
        Path saves = Fixtures.folder("killed-save");
        Path target = Fixtures.copyOf(Fixtures.knn(), saves.resolve("knn"));
        String before = Files.readString(target.resolve("detector.yaml"));
        byte[] referenceBefore = Files.readAllBytes(target.resolve("model/reference.npy"));

        Path big = bigNpy(Fixtures.ROOT.resolve("big.npy"), 400_000, 64);
        Path yaml = Fixtures.write("big.yaml", "detector: {type: knn, k: 5, scalingFactor: 1}\n"
                + "data: {train: {path: " + big + "}}\nthreshold: {type: fixed, value: 0.5}\n");
        Path log = Fixtures.ROOT.resolve("killed-save.log");
        Process p = Cli.childJvm(log, Main.class.getName(), "fit", yaml, "--out", target, "--overwrite")
                .start();
        boolean killed = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (modelBytesBeingWritten(saves) > 1 << 20) {
                p.destroyForcibly();
                killed = true;
                break;
            }
            Thread.sleep(2);
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(killed).as("the child was killed while writing the model; log:\n" + Files.readString(log))
                .isTrue();

        assertThat(Files.readString(target.resolve("detector.yaml"))).isEqualTo(before);
        assertThat(Files.readAllBytes(target.resolve("model/reference.npy"))).isEqualTo(referenceBefore);
        Path csv = out.resolve("after-kill.csv");
        Cli.run("predict", target, "--data", data, "--out", csv).ok();
        assertThat(Files.readAllLines(csv)).hasSize(11);
        try (var files = Files.list(saves)) {
            // the half-written temporary folder may remain, but hidden and never under the target name
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")))
                    .containsExactly("knn");
        }
    }

    /**
     * {@code fit --out} over an existing detector: refused without {@code --overwrite} (exit 2, the detector and its
     * inferred threshold intact); replaced with it, a file of the user's beside it kept; and a folder holding files but
     * no detector is refused even with it, naming the first such file, and nothing in it is deleted.
     */
    @Test
    void fitReplacesOnlyASavedDetectorAndOnlyWhenAsked() throws IOException {
        Path folder = Fixtures.folder("overwrite");
        Path target = Fixtures.copyOf(Fixtures.knn(), folder.resolve("knn"));
        Cli.run("infer-threshold", target, "--data", data, "--percent", 50).ok();
        String inferred = Files.readString(target.resolve("detector.yaml"));
        Path yaml = Fixtures.write("overwrite.yaml", "detector: {type: knn, k: 3}\ndata: {train: {path: "
                + Fixtures.csv("overwrite-train.csv", 40, 0, 5) + "}}\n");

        Cli.Run refused = Cli.run("fit", yaml, "--out", target).usageError();
        assertThat(refused.err().strip()).isEqualTo("oddball: --out " + target + ": exists; pass --overwrite to "
                + "replace the detector in it");
        assertThat(Files.readString(target.resolve("detector.yaml"))).isEqualTo(inferred);

        Cli.run("fit", yaml, "--out", target, "--overwrite").ok();
        assertThat(Files.readString(target.resolve("detector.yaml"))).contains("k: 3").contains("instances: 40");
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("knn");
        }

        Path notes = Files.writeString(target.resolve("notes.txt"), "my notes");
        assertThat(Cli.run("fit", yaml, "--out", target).usageError().err().strip()).isEqualTo("oddball: --out "
                + target + ": exists; pass --overwrite to replace the detector in it");
        Cli.run("fit", yaml, "--out", target, "--overwrite").ok();
        assertThat(notes).hasContent("my notes");
        assertThat(target.resolve("detector.yaml")).isRegularFile();
        Files.delete(notes);
        Path theirs = Files.createDirectories(folder.resolve("theirs"));
        Files.writeString(theirs.resolve("notes.txt"), "my notes");
        for (boolean overwrite : new boolean[] {false, true}) {
            Cli.Run r = overwrite ? Cli.run("fit", yaml, "--out", theirs, "--overwrite") : Cli.run("fit", yaml,
                    "--out", theirs);
            assertThat(r.usageError().err().strip()).isEqualTo("oddball: --out " + theirs + ": expected an empty "
                    + "folder or a saved Oddball detector, found notes.txt (not part of one); choose another folder "
                    + "(nothing was changed)");
        }
        assertThat(theirs.resolve("notes.txt")).hasContent("my notes");
        Files.delete(theirs.resolve("notes.txt"));
        Files.delete(theirs);

        Path file = Files.writeString(folder.resolve("a-file"), "x");
        assertThat(Cli.run("fit", yaml, "--out", file, "--overwrite").usageError().err().strip()).isEqualTo(
                "oddball: --out " + file + ": expected a folder for the detector, found a file; choose another folder");
        assertThat(file).hasContent("x");
        Path empty = Files.createDirectories(folder.resolve("empty"));
        Cli.run("fit", yaml, "--out", empty).ok();
        assertThat(empty.resolve("detector.yaml")).isRegularFile();
    }

    /** Bytes already written under the hidden temporary folders of a save in {@code parent}. */
    static long modelBytesBeingWritten(Path parent) throws IOException {
        long total = 0;
        try (var files = Files.list(parent)) {
            for (Path tmp : files.filter(f -> f.getFileName().toString().contains(".tmp-")).toList()) {
                try (var walk = Files.walk(tmp)) {
                    for (Path f : walk.filter(Files::isRegularFile).toList()) {
                        total += Files.size(f);
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    // the folder is moving under us: count it next time
                }
            }
        }
        return total;
    }

    /** A float32 .npy of {@code n × f} values from a cheap generator (no NaN). */
    static Path bigNpy(Path file, int n, int f) throws IOException {
        if (Files.exists(file) && Files.size(file) > (long) n * f * 4) {
            return file;
        }
        byte[] header = Samples.npy("<f4", "(" + n + ", " + f + ")", new byte[0]);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(ByteBuffer.wrap(header));
            ByteBuffer b = ByteBuffer.allocate(4 * f * 1024).order(ByteOrder.LITTLE_ENDIAN);
            int seed = 12345;
            for (int i = 0; i < n; i += 1024) {
                b.clear();
                for (int j = 0; j < Math.min(1024, n - i) * f; j++) {
                    seed = seed * 1103515245 + 12345;
                    b.putFloat((seed >>> 8) / (float) (1 << 24));
                }
                b.flip();
                c.write(b);
            }
        }
        return file;
    }

    /**
     * An autoencoder's {@code ae.properties} whose shape breaks the layers' arithmetic (2147483647x8x1 overflows the
     * encoder's sizes): a format error naming the file and the key, exit 1; it was {@code internal error:
     * java.lang.IllegalArgumentException: shape dimensions must be >= 0, found [-536870911, …]}.
     */
    @Test
    void anAutoencodersStateWithAnOverflowingShapeIsAFormatError() throws IOException {
        Path fitted = fittedAe();
        Path images = aeImages;
        for (String shape : new String[] {"2147483647x8x1", "-4x8x1"}) {
            Path dir = Fixtures.copyOf(fitted, Fixtures.folder("saved-ae-" + shape.length()));
            Path props = dir.resolve("model/ae.properties");
            Files.writeString(props, Files.readString(props).replaceFirst("(?m)^instanceShape=.*$", "instanceShape="
                    + shape));
            Path csv = out.resolve("ae-" + shape.length() + ".csv");
            String err = Cli.run("predict", dir, "--data", images, "--out", csv).failure().err().strip();
            assertThat(err).startsWith("oddball: " + props + ": instanceShape: expected ").contains("found " + shape)
                    .doesNotContain("internal error").doesNotContain("java.lang");
            assertThat(csv).doesNotExist();
        }
    }
    private static Path ae;
    private static Path aeImages;

    /** A small conv autoencoder on 8x8 images, fitted once. */
    static synchronized Path fittedAe() throws IOException {
        if (ae == null) {
            aeImages = BadDataTest.npyImages("saved-ae-images.npy", 40, 1);
            Path yaml = Fixtures.write("saved-ae.yaml", "detector: {type: ae, architecture: conv, filters: [4, 8], "
                    + "latentDim: 4, fit: {epochs: 1, batchSize: 20, seed: 1}}\ndata: {train: {path: " + aeImages
                    + "}}\n");
            Path fitted = Fixtures.folder("saved-ae").resolve("ae");
            Cli.run("fit", yaml, "--out", fitted).ok();
            ae = fitted;
        }
        return ae;
    }

    /**
     * FIFOs inside an autoencoder's SavedModel and inside the saved detector an {@code embed} stage copies: refused
     * before they are opened (TensorFlow waited forever on a FIFO as {@code variables.data-…}; fit's save, copying the
     * embedding detector, waited forever on a FIFO in it). A link to {@code /dev/zero} there (it is only looked at) is
     * refused the same way.
     */
    @Test
    void fifosInsideASavedModelOrAnEmbeddedDetectorAreRefusedNotWaitedFor() throws Exception {
        Path fitted = fittedAe();
        Path dir = Fixtures.copyOf(fitted, Fixtures.folder("saved-ae-fifo"));
        Path data;
        try (var files = Files.list(dir.resolve("model/savedmodel/variables"))) {
            data = files.filter(f -> f.getFileName().toString().startsWith("variables.data")).findFirst()
                    .orElseThrow();
        }
        Files.delete(data);
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", data.toString()).inheritIO().start()
                .waitFor() == 0, "mkfifo is available");
        Path csv = out.resolve("ae-fifo.csv");
        Cli.Run r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> Cli.run("predict", dir, "--data", aeImages, "--out", csv)).failure();
        assertThat(r.err().strip()).isEqualTo("oddball: " + data + ": expected a file of the SavedModel "
                + dir.resolve("model/savedmodel") + ", found a FIFO, socket or device");
        assertThat(csv).doesNotExist();

        Path embedded = Fixtures.copyOf(fitted, Fixtures.folder("saved-ae-embedded"));
        Path pipe = embedded.resolve("model/extra.fifo");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor()).isZero();
        Path yaml = Fixtures.write("saved-embed-fifo.yaml", "detector: {type: knn, k: 3}\ndata: {train: {path: "
                + aeImages + "}}\nembed: {detector: " + embedded + "}\n");
        Path target = out.resolve("embed-fifo");
        Cli.Run f = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> Cli.run("fit", yaml, "--out", target)).failure();
        assertThat(f.err().strip()).isEqualTo("oddball: " + pipe + ": expected a regular file or folder of the "
                + "embedding detector " + embedded + " (it is copied into the saved detector), found a FIFO, socket or "
                + "device");
        Files.delete(pipe);
        Path zero = Files.createSymbolicLink(embedded.resolve("model/zero"), Path.of("/dev/zero"));
        assertThat(Cli.run("fit", yaml, "--out", target).failure().err().strip()).isEqualTo("oddball: " + zero
                + ": expected a regular file or folder of the embedding detector " + embedded + " (it is copied into "
                + "the saved detector), found a symbolic link to a FIFO, socket or device");
        assertThat(target).doesNotExist();
        try (var left = Files.list(out)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".embed-fifo"));
        }
    }
}
