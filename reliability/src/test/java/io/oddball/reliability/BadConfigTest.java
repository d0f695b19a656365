package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad pipelines through {@code oddball fit} in-process: each exits 2 with one line {@code file:line path: expected X,
 * found Y}, no stack trace, and nothing written to {@code --out}.
 */
class BadConfigTest {
    static Path train;
    static Path out;
    static int count;

    @BeforeAll
    static void data() {
        train = Fixtures.csv("config-train.csv", 30, 0, 7);
        out = Fixtures.folder("bad-config");
    }

    /** Fits {@code yaml} (with {@code TRAIN} replaced by the training file) and returns the one error line. */
    static String fitError(String yaml) {
        Path file = Fixtures.write("config-" + (++count) + ".yaml", yaml.replace("TRAIN", train.toString()));
        Path dir = out.resolve("never-" + count);
        Cli.Run r = Cli.run("fit", file, "--out", dir).usageError();
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(dir).doesNotExist();
        assertThat(r.out()).isEmpty();
        return r.err().strip().replace(file.toString(), "FILE");
    }

    static final String DATA = "data: {train: {path: TRAIN}}\n";

    @Test
    void unknownKeysSuggestTheNearestKnownOne() {
        assertThat(fitError("detector: {type: knn, kk: 3}\n" + DATA))
                .isEqualTo("oddball: FILE:1 detector.kk: unknown key; did you mean 'k'?");
        assertThat(fitError("detector: {type: knn}\n" + DATA + "scorr: {type: mean}\n"))
                .isEqualTo("oddball: FILE:3 scorr: unknown key; did you mean 'scorer'?");
        assertThat(fitError("detector:\n  type: knn\n  fit: {epochs: 1, batchSise: 8}\n" + DATA))
                .isEqualTo("oddball: FILE:3 detector.fit.batchSise: unknown key; did you mean 'batchSize'?");
    }

    @Test
    void wrongTypesNameTheExpectedType() {
        assertThat(fitError("detector: {type: knn, k: three}\n" + DATA))
                .isEqualTo("oddball: FILE:1 detector.k: expected an integer, found 'three'");
        assertThat(fitError("detector: {type: knn, fit: {learningRate: fast}}\n" + DATA))
                .isEqualTo("oddball: FILE:1 detector.fit.learningRate: expected a number, found 'fast'");
        assertThat(fitError("detector: {type: knn, standardize: maybe}\n" + DATA))
                .isEqualTo("oddball: FILE:1 detector.standardize: expected true or false, found 'maybe'");
        assertThat(fitError("detector: {type: knn}\ndata: {train: [TRAIN]}\n"))
                .startsWith("oddball: FILE:2 data.train: expected a mapping, found ");
    }

    @Test
    void outOfRangeValuesNameTheRange() {
        assertThat(fitError("detector: {type: knn, fit: {epochs: -1}}\n" + DATA))
                .isEqualTo("oddball: FILE:1 detector.fit.epochs: expected an integer >= 0, found -1");
        assertThat(fitError("detector: {type: knn, k: 0}\n" + DATA))
                .isEqualTo("oddball: FILE:1 detector.k: expected an integer >= 1, found 0");
        // a KNN block of 2^31-1 distances took 4 GB to fit 40 000 references (the default 2^24: 0.8 GB)
        assertThat(fitError("detector: {type: knn, blockSize: 2147483647}\n" + DATA))
                .isEqualTo("oddball: FILE:1 detector.blockSize: expected an integer from 1 to 67108864 (distances "
                        + "per run; 256 MiB of float32), found 2147483647");
        assertThat(fitError("detector: {type: knn}\n" + DATA + "scorer: {type: top-percent, outlierPerc: 0}\n"))
                .isEqualTo("oddball: FILE:3 scorer.outlierPerc: expected a number in (0, 100], found 0");
        assertThat(fitError("detector: {type: knn}\n" + DATA + "scorer: {type: top-percent, outlierPerc: 100.5}\n"))
                .isEqualTo("oddball: FILE:3 scorer.outlierPerc: expected a number in (0, 100], found 100.5");
        assertThat(fitError("detector: {type: knn}\n" + DATA + "threshold: {type: percentile, percent: 101}\n"))
                .isEqualTo("oddball: FILE:3 threshold.percent: expected a number in [0, 100], found 101");
        assertThat(fitError("detector: {type: knn}\n" + DATA + "threshold: {type: percentile, percent: -5}\n"))
                .isEqualTo("oddball: FILE:3 threshold.percent: expected a number in [0, 100], found -5");
    }

    @Test
    void anOutOfRangePercentOnTheCommandLine() {
        Cli.Run r = Cli.run("infer-threshold", Fixtures.knn(), "--data", train, "--percent", 150).usageError();
        assertThat(r.err().strip()).isEqualTo("oddball: --percent: expected a number in [0, 100], found 150.0");
    }

    @Test
    void unknownTypesListTheKnownOnes() {
        assertThat(fitError("detector: {type: knnn}\n" + DATA)).startsWith("oddball: FILE:1 detector.type: "
                + "expected a known detector type [").contains("knn").endsWith("found 'knnn'; did you mean 'knn'?");
        assertThat(fitError("detector: {type: kn}\n" + DATA)).startsWith("oddball: FILE:1 detector.type: "
                + "expected a known detector type [").endsWith("found 'kn'; did you mean 'knn'?");
        assertThat(fitError("detector: {type: isolation-forest}\n" + DATA)).startsWith("oddball: FILE:1 "
                + "detector.type: expected a known detector type [").endsWith("found 'isolation-forest'");
        assertThat(fitError("detector: {type: knn}\n" + DATA + "scorer: {type: median}\n"))
                .startsWith("oddball: FILE:3 scorer.type: expected a known scorer type [")
                .contains("max, mean, sum, top-percent").endsWith("found 'median'; did you mean 'mean'?");
        assertThat(fitError("detector: {type: knn}\n" + DATA + "threshold: {type: otsu}\n"))
                .startsWith("oddball: FILE:3 threshold.type: expected a known threshold type [")
                .contains("best-f1, contamination, fixed, percentile, target-fpr").endsWith("found 'otsu'");
        assertThat(fitError("detector: {type: knn}\ndata: {train: {path: TRAIN, format: parquet}}\n"))
                .startsWith("oddball: FILE:2 data.train.format: expected a known data format [")
                .contains("csv").contains("npy").endsWith("found 'parquet'");
    }

    @Test
    void unsafeTagsAreRefusedWithoutConstructingAnything() {
        // SnakeYAML 2 refuses global tags while parsing; nothing is ever constructed
        assertThat(fitError("detector: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader "
                + "[[!!java.net.URL [\"http://localhost/\"]]]]\n" + DATA))
                .isEqualTo("oddball: FILE:1: invalid YAML: Global tag is not allowed: "
                        + "tag:yaml.org,2002:javax.script.ScriptEngineManager");
        assertThat(fitError("detector: !custom {type: knn}\n" + DATA))
                .isEqualTo("oddball: FILE:1 detector: expected a plain mapping, found the tag !custom (only standard "
                        + "YAML tags are allowed)");
        assertThat(fitError("detector: {type: knn}\n" + DATA + "preprocess: !!set {? a}\n"))
                .isEqualTo("oddball: FILE:3 preprocess: expected a plain mapping, found the tag "
                        + "tag:yaml.org,2002:set (only standard YAML tags are allowed)");
        assertThat(fitError("detector: {type: !!java.lang.Runtime knn}\n" + DATA))
                .isEqualTo("oddball: FILE:1: invalid YAML: Global tag is not allowed: tag:yaml.org,2002:java.lang.Runtime");
        assertThat(fitError("detector: {type: !local knn}\n" + DATA))
                .isEqualTo("oddball: FILE:1 detector.type: expected a plain value, found the tag !local (only "
                        + "standard YAML tags are allowed)");
    }

    @Test
    void aPipelineThatIsNotAMappingOrNotYamlOrMissing() {
        assertThat(fitError("- detector\n- data\n"))
                .isEqualTo("oddball: FILE:1: expected a YAML mapping at the top level, found sequence");
        assertThat(fitError("")).isEqualTo("oddball: FILE: expected a YAML mapping, found an empty file");
        assertThat(fitError("detector: {type: knn\n" + DATA)).startsWith("oddball: FILE:2: invalid YAML: ");
        Path missing = out.resolve("no-such-pipeline.yaml");
        Cli.Run r = Cli.run("fit", missing, "--out", out.resolve("never-missing")).usageError();
        assertThat(r.err().strip()).isEqualTo("oddball: " + missing
                + ": expected a YAML pipeline file, found no such file");
        assertThat(out.resolve("never-missing")).doesNotExist();
    }

    /**
     * One rule for paths: one that does not exist, on the command line or in YAML, is a usage error (exit 2); a file
     * that exists but cannot be read is a runtime failure (exit 1).
     */
    @Test
    void missingPathsAreUsageErrorsAndUnreadableFilesFailures() throws java.io.IOException {
        Path knn = Fixtures.knn();
        Path data = Fixtures.csv("paths-data.csv", 10, 0, 3);
        Path nowhere = out.resolve("nowhere.csv");
        Path csv = out.resolve("paths-scores.csv");
        assertThat(Cli.run("predict", knn, "--data", nowhere, "--out", csv).usageError().err().strip())
                .isEqualTo("oddball: --data " + nowhere + ": expected an existing file or folder, found nothing");
        assertThat(Cli.run("evaluate", knn, "--in", data, "--ood", nowhere).usageError().err().strip())
                .isEqualTo("oddball: --ood " + nowhere + ": expected an existing file or folder, found nothing");
        assertThat(Cli.run("infer-threshold", knn, "--data", nowhere, "--percent", 90).usageError().err().strip())
                .isEqualTo("oddball: --data " + nowhere + ": expected an existing file or folder, found nothing");
        Path noDetector = out.resolve("no-detector");
        assertThat(Cli.run("predict", noDetector, "--data", data, "--out", csv).usageError().err().strip())
                .isEqualTo("oddball: " + noDetector + ": expected a saved detector directory, found nothing");
        Path npy = BadDataTest.npyImages("paths.npy", 4, 1);
        Path noLabels = out.resolve("no-labels.npy");
        assertThat(Cli.run("evaluate", knn, "--in", npy, "--ood", npy, "-O", "labels=" + noLabels).usageError()
                .err().strip()).isEqualTo("oddball: " + noLabels + ": expected an existing file, found nothing "
                        + "(file not found)");
        assertThat(csv).doesNotExist();
        // exists, but is no data file: a runtime failure
        Path folder = java.nio.file.Files.createDirectories(out.resolve("a-folder.csv"));
        assertThat(Cli.run("predict", knn, "--data", folder, "--format", "csv", "--out", csv).failure().err())
                .contains(folder + ": expected a regular file, found a directory");
        Path broken = Fixtures.write("broken.npy", "not an npy file");
        assertThat(Cli.run("predict", knn, "--data", broken, "--out", csv).failure().err()).contains(broken.toString());
        assertThat(csv).doesNotExist();
    }

    @Test
    void aMissingDataFileIsNamedWithItsLine() {
        assertThat(fitError("detector: {type: knn}\ndata:\n  train: {path: nowhere.csv}\n"))
                .startsWith("oddball: FILE:3 data.train.path: expected an existing file or folder (looked for ")
                .endsWith("found 'nowhere.csv'");
    }
    /**
     * 200 000 unknown keys, at the top level and inside the detector block (the provider's schema reports each and
     * the assembler merges them with the parser's): the first 20 and a count, in seconds. Inside the block the merge
     * compared each problem with every other one and ran for minutes.
     */
    @Test
    void twoHundredThousandUnknownKeysAreTwentyLinesAndACountInSeconds() {
        for (String block : new String[] {"", "  "}) {
            StringBuilder yaml = new StringBuilder("detector:\n  type: knn\n");
            StringBuilder keys = new StringBuilder();
            for (int i = 0; i < 200_000; i++) {
                keys.append(block).append("unk").append(i).append(": 1\n");
            }
            String text = block.isEmpty() ? yaml + DATA + keys : yaml.toString() + keys + DATA;
            Path file = Fixtures.write("config-many-keys-" + block.length() + ".yaml", text.replace("TRAIN",
                    train.toString()));
            Path dir = out.resolve("never-many-keys");
            long start = System.nanoTime();
            Cli.Run r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                    () -> Cli.run("fit", file, "--out", dir)).usageError();
            List<String> lines = r.err().strip().lines().toList();
            assertThat(lines).as(r.err()).hasSize(22);
            assertThat(lines.get(0)).isEqualTo("oddball: 200000 configuration problems:");
            assertThat(lines.get(1)).isEqualTo("  " + file + (block.isEmpty() ? ":4 " : ":3 detector.")
                    + "unk0: unknown key");
            assertThat(lines.get(21)).isEqualTo("  ... and 199980 more");
            assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(30);
            assertThat(dir).doesNotExist();
        }
    }
    /**
     * Autoencoder hyper-parameters that would take gigabytes: refused at fit, before any tensor is allocated, naming
     * the keys to lower (on 8x8 images: a stride of 1000 makes the decoder 1000 times wider per layer; a kernel of 200
     * makes patch matrices of 5.8 M values per instance, which took 16 GB at batch 32 on 28x28 images).
     */
    @Test
    void autoencoderSizesThatWouldTakeGigabytesAreRefusedNamingTheKeys() throws java.io.IOException {
        Path images = BadDataTest.npyImages("config-ae-images.npy", 20, 1);
        String pipeline = "detector: {type: ae, architecture: conv, filters: [16, 32], KNOB, fit: {epochs: 1}}\n"
                + "data: {train: {path: " + images + "}}\n";
        assertThat(fitError(pipeline.replace("KNOB", "stride: 1000")))
                .startsWith("oddball: ae: conv: expected layers of at most 4194304 values per instance (64 times the "
                        + "input 8x8x1), found layer ")
                .endsWith("; lower detector.stride 1000, detector.kernel 4, detector.filters [16, 32] and "
                        + "detector.latentDim 64");
        assertThat(fitError(pipeline.replace("KNOB", "kernel: 200")))
                .isEqualTo("oddball: ae: conv: expected the convolutions' patches to hold at most 4194304 values per "
                        + "instance (64 times the input 8x8x1), found 5760000 by layer 7 (Conv2DTranspose, kernel "
                        + "200x200; a kernel this large needs gigabytes to train); lower detector.stride 2, "
                        + "detector.kernel 200, detector.filters [16, 32] and detector.latentDim 64");
        assertThat(fitError(pipeline.replace("KNOB", "kernel: 1000")))
                .startsWith("oddball: ae: conv: expected at most 134217728 trainable values, found more (weight ");
    }
    /**
     * Pipeline files made to hang or crash the reader, each one line and exit 2 through the CLI: a FIFO (opening it
     * would block until something writes) and a folder as the pipeline, Latin-1 text, an alias that contains itself in
     * the file and in {@code -O} (both used to end in a StackOverflowError), {@code numHierarchies: 30} (it was
     * exit 1).
     */
    @Test
    void hostilePipelineFilesAreOneLineNamingTheFile() throws Exception {
        Path fifo = out.resolve("pipeline-fifo.yaml");
        java.nio.file.Files.deleteIfExists(fifo);
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start()
                .waitFor() == 0, "mkfifo is available");
        Path dir = out.resolve("never-fifo");
        Cli.Run f = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> Cli.run("fit", fifo, "--out", dir)).usageError();
        assertThat(f.err().strip()).isEqualTo("oddball: " + fifo + ": expected a YAML pipeline file (a regular file), "
                + "found a FIFO, socket or device");
        Path folder = java.nio.file.Files.createDirectories(out.resolve("pipeline-folder.yaml"));
        assertThat(Cli.run("fit", folder, "--out", dir).usageError().err().strip()).isEqualTo("oddball: " + folder
                + ": expected a YAML pipeline file (a regular file), found a directory");
        assertThat(dir).doesNotExist();

        Path latin1 = out.resolve("latin1.yaml");
        java.nio.file.Files.write(latin1, ("detector: {type: knn}\n# caf\u00e9\n" + DATA.replace("TRAIN",
                train.toString())).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(Cli.run("fit", latin1, "--out", dir).usageError().err().strip()).isEqualTo("oddball: " + latin1
                + ":2: expected UTF-8 text, found the byte 0xe9 at byte offset 27 (save the file as UTF-8)");

        assertThat(fitError("detector: {type: knn}\n" + DATA + "extra: &a [*a]\n")).isEqualTo("oddball: FILE:3 "
                + "extra[0]: expected an alias to a block that does not contain it, found an alias that refers to "
                + "itself");
        Cli.Run o = Cli.run("predict", Fixtures.knn(), "--data", train, "--out", out.resolve("never.csv"), "-O",
                "x=&a [*a]").usageError();
        assertThat(o.err().strip()).isEqualTo("oddball: -O x:1 v[0]: expected an alias to a block that does not "
                + "contain it, found an alias that refers to itself");
        assertThat(out.resolve("never.csv")).doesNotExist();

        assertThat(fitError("detector: {type: llr, numHierarchies: 30}\n" + DATA)).isEqualTo("oddball: FILE:1 "
                + "detector.numHierarchies: expected an integer from 1 to 10 (each halves the image), found 30");
    }
}
