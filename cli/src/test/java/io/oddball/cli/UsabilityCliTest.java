package io.oddball.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Npy;
import io.oddball.cli.CliTest.Run;
import io.oddball.runtime.Oddball;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user cloning Oddball meets first, in-process: arrays shaped as NumPy users write them, progress of long
 * scoring, did-you-mean hints, the exit-code rule for paths, the threshold's record of how its data were read, the demo's
 * files and hint, and the first-run notice about TensorFlow's native library.
 */
class UsabilityCliTest {
    static final Path MNIST = Path.of("../data/mnist/mnist-test-2000-images-idx3-ubyte.gz").toAbsolutePath()
            .normalize();

    @TempDir
    static Path tmp;

    /** A KNN detector fitted on 300 MNIST digits: instances of 28x28x1. */
    static Path knn;
    /** The MNIST digits 300..399 as the IDX file holds them, as an (N, 28, 28) array and as (N, 784) rows. */
    static Path cube;
    static Path flat;

    @BeforeAll
    static void fitAndWriteArrays() throws Exception {
        knn = CliTest.fit(tmp, "knn", "detector: {type: knn, k: 5}\ndata: {train: {path: " + MNIST
                + ", limit: 300}}\npreprocess: [{scale: 255}]\n");
        Batch digits = Oddball.create(List.of()).openData(MNIST, null, Map.of("offset", 300, "limit", 100))
                .readAll();
        assertThat(digits.instanceShape().toString()).isEqualTo("28x28x1");
        cube = tmp.resolve("digits-3d.npy");
        Npy.write(cube, new int[] {100, 28, 28}, digits.toArray());
        flat = tmp.resolve("digits-flat.npy");
        Npy.write(flat, new int[] {100, 784}, digits.toArray());
    }

    /** Scores of {@code predict} on {@code data} with extra arguments, as the output's lines. */
    static List<String> predict(Path data, String... more) throws Exception {
        Path csv = Files.createTempFile(tmp, "scores", ".csv");
        Files.delete(csv);
        List<String> args = new ArrayList<>(List.of("predict", knn.toString(), "--data", data.toString(), "--out",
                csv.toString()));
        args.addAll(List.of(more));
        Run r = CliTest.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return Files.readAllLines(csv);
    }

    @Test
    void anNxHxWArrayIsReadAsImagesWithOneChannel() throws Exception {
        List<String> idx = predict(MNIST, "-O", "offset=300", "-O", "limit=100");
        assertThat(idx).hasSize(101);
        assertThat(predict(cube)).isEqualTo(idx);
    }

    @Test
    void flatRowsAreRefusedWithTheFixAndReshapedWithTheShapeOption() throws Exception {
        Path csv = tmp.resolve("never.csv");
        Run r = CliTest.run("predict", knn.toString(), "--data", flat.toString(), "--out", csv.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("oddball: " + flat + ": expected instances of 28x28x1 (the detector's "
                + "input), found 784 values per instance; reshape with -O shape=28,28,1");
        assertThat(csv).doesNotExist();

        List<String> idx = predict(MNIST, "-O", "offset=300", "-O", "limit=100");
        assertThat(predict(flat, "-O", "shape=28,28,1")).isEqualTo(idx);
        assertThat(predict(flat, "-O", "shape=[28, 28, 1]")).isEqualTo(idx);

        Run wrong = CliTest.run("predict", knn.toString(), "--data", flat.toString(), "--out", csv.toString(),
                "-O", "shape=28,28,3");
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err().strip()).isEqualTo("oddball: options.shape: expected a shape of 784 values per "
                + "instance (as " + flat + " has: 784 values per instance), found '28,28,3' (2352 values)");
        assertThat(csv).doesNotExist();
    }

    @Test
    void everyScoringCommandTakesNumpyShapes() throws Exception {
        Run eval = CliTest.run("evaluate", knn.toString(), "--in", MNIST.toString(), "-O", "offset=1900", "--ood",
                cube.toString(), "--ood-option", "limit=100", "--json");
        assertThat(eval.code()).as(eval.err()).isZero();
        Run evalFlat = CliTest.run("evaluate", knn.toString(), "--in", cube.toString(), "--ood", flat.toString(),
                "--ood-option", "shape=28,28,1", "--json");
        assertThat(evalFlat.code()).as(evalFlat.err()).isZero();
        // the same digits on both sides: nothing separates them
        assertThat(evalFlat.out()).startsWith("{\"auroc\": 0.5,");

        Path report = tmp.resolve("numpy-report.html");
        Run rep = CliTest.run("report", knn.toString(), "--in", cube.toString(), "--ood", flat.toString(),
                "--ood-option", "shape=28,28,1", "--out", report.toString(), "--top", "2");
        assertThat(rep.code()).as(rep.err()).isZero();
        assertThat(rep.out()).contains("sections: metrics, instance-scores, histogram, roc, precision-recall, outliers");

        Path perturb = tmp.resolve("perturb.csv");
        Run per = CliTest.run("perturb", knn.toString(), "--data", cube.toString(), "--n-images", "4", "--n-masks",
                "2", "--mask-sizes", "4x4", "--out", perturb.toString());
        assertThat(per.code()).as(per.err()).isZero();
        assertThat(Files.readAllLines(perturb)).hasSize(2);

        Path copy = Files.createDirectories(tmp.resolve("threshold-copy"));
        Files.copy(knn.resolve("detector.yaml"), copy.resolve("detector.yaml"));
        copyTree(knn.resolve("model"), copy.resolve("model"));
        Run infer = CliTest.run("infer-threshold", copy.toString(), "--data", flat.toString(), "-O", "shape=28,28,1",
                "-O", "limit=50", "--percent", "90");
        assertThat(infer.code()).as(infer.err()).isZero();
        // the threshold records how its data were read, reader options included
        assertThat(Files.readString(copy.resolve("detector.yaml")))
                .contains("inferredOn: " + flat + " -O shape=28,28,1 -O limit=50");
    }

    @Test
    void aPipelineFitsAnNxHxWArrayAsImages() throws Exception {
        Path yaml = tmp.resolve("cube.yaml");
        Files.writeString(yaml, "detector: {type: knn, k: 5}\ndata: {train: {path: " + cube + "}}\n"
                + "preprocess: [{scale: 255}]\n"
                + "evaluate:\n  in: {path: " + MNIST + ", offset: 1900}\n  ood: {path: " + flat + ", shape: [28, 28, 1]}\n");
        Path dir = tmp.resolve("cube-knn");
        Run fit = CliTest.run("fit", yaml.toString(), "--out", dir.toString());
        assertThat(fit.code()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("AUROC");
        assertThat(Files.readString(dir.resolve("detector.yaml"))).contains("inputShape:\n- 28\n- 28\n- 1\n");

        Path bad = tmp.resolve("flat-ood.yaml");
        Files.writeString(bad, "detector: {type: knn, k: 5}\ndata: {train: {path: " + cube + "}}\n"
                + "evaluate:\n  in: {path: " + MNIST + "}\n  ood: {path: " + flat + "}\n");
        Run r = CliTest.run("fit", bad.toString(), "--out", tmp.resolve("never-flat").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("oddball: " + bad + ":5 evaluate.ood.path: expected instances of "
                + "28x28x1 (as data.train), found 784 values per instance; reshape with shape: [28, 28, 1]");
    }

    @Test
    void longScoringShowsProgressLinesCountingInstances() throws Exception {
        String quiet = capturedStderr(() -> predict(cube, "--batch-size", "10"));
        assertThat(quiet).as("a run shorter than the delay shows nothing").doesNotContain("predict:");

        System.setProperty("oddball.progress.delay", "0");
        System.setProperty("oddball.progress.every", "0");
        String log;
        try {
            log = capturedStderr(() -> predict(cube, "--batch-size", "10"));
        } finally {
            System.clearProperty("oddball.progress.delay");
            System.clearProperty("oddball.progress.every");
        }
        assertThat(log).contains("predict: started (100 instances)");
        Matcher m = Pattern.compile("predict: running (\\d+)/100 instances").matcher(log);
        List<Integer> counts = new ArrayList<>();
        while (m.find()) {
            counts.add(Integer.parseInt(m.group(1)));
        }
        assertThat(counts).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90, 100);
        assertThat(log).containsPattern("predict: done 100/100 instances in [0-9.]+s");
    }

    /** What {@code work} writes to standard error (where the CLI's log lines go). */
    static String capturedStderr(Callable<?> work) throws Exception {
        PrintStream before = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            work.call();
        } finally {
            System.setErr(before);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void misspeltCommandsOptionsAndTypesGetADidYouMean() throws Exception {
        Run command = CliTest.run("predcit", knn.toString());
        assertThat(command.code()).isEqualTo(2);
        assertThat(command.err()).startsWith("oddball: unknown command 'predcit'; did you mean 'predict'?\n");
        Run far = CliTest.run("frobnicate");
        assertThat(far.code()).isEqualTo(2);
        assertThat(far.err()).startsWith("oddball: unknown command 'frobnicate'\n");
        Run option = CliTest.run("predict", knn.toString(), "--data", cube.toString(), "--out", "x.csv",
                "--nan-polcy", "drop");
        assertThat(option.code()).isEqualTo(2);
        assertThat(option.err()).startsWith("oddball: unknown option '--nan-polcy'; did you mean '--nan-policy'?\n");
        Run format = CliTest.run("predict", knn.toString(), "--data", cube.toString(), "--out",
                tmp.resolve("never.csv").toString(), "--format", "npyy");
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err()).contains("found 'npyy'; did you mean 'npy'?");
        Path yaml = tmp.resolve("kn.yaml");
        Files.writeString(yaml, "detector: {type: kn}\ndata: {train: {path: " + cube + "}}\n");
        Run type = CliTest.run("fit", yaml.toString(), "--out", tmp.resolve("never-kn").toString());
        assertThat(type.code()).isEqualTo(2);
        assertThat(type.err().strip()).startsWith("oddball: " + yaml + ":1 detector.type: expected a known detector "
                + "type [").endsWith("found 'kn'; did you mean 'knn'?");
        // the demos are the checkout's pipelines/demo-*.yaml files (the launcher sets oddball.home to it)
        CliTest.withProperty("oddball.home", CliTest.CHECKOUT, () -> {
            Run demo = CliTest.run("demo", "--detector", "kn", "--out", tmp.resolve("never-demo").toString());
            assertThat(demo.code()).isEqualTo(2);
            assertThat(demo.err()).contains("found 'kn'; did you mean 'knn'?");
        });
    }

    @Test
    void theHelpStatesTheExitCodeRuleForPaths() {
        String help = CliTest.run("--help").out();
        assertThat(help).contains("Exit codes:").contains("a path that does not exist (on the command line or in")
                .contains("a file that exists but cannot be read or parsed");
        Path missing = tmp.resolve("missing.npy");
        Run r = CliTest.run("predict", knn.toString(), "--data", missing.toString(), "--out",
                tmp.resolve("never.csv").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("oddball: --data " + missing + ": expected an existing file or folder, "
                + "found nothing");
    }

    @Test
    void theDemoNamesItsReportAfterTheDetectorReplacesOnlyItsOwnOutputAndHintsAWorkingCommand() throws Exception {
        assertThat(DemoCommand.defaultReport("knn")).isEqualTo(Path.of("demo-report-knn.html"));
        assertThat(DemoCommand.defaultReport("ae")).isEqualTo(Path.of("demo-report-ae.html"));
        Path home = Path.of("..").toAbsolutePath().normalize();
        assertThat(DemoCommand.launcher("./oddball", home)).isEqualTo("./oddball");
        assertThat(DemoCommand.launcher("../clones/oddball/oddball", home)).isEqualTo("../clones/oddball/oddball");
        assertThat(DemoCommand.launcher("oddball", home)).isEqualTo("./oddball");
        // run from the module folder, the repository's launcher is outside it: an absolute path
        assertThat(DemoCommand.launcher(null, home)).isEqualTo(home.resolve("oddball").toString());
        assertThat(DemoCommand.launcher(null, Path.of(""))).isEqualTo("./oddball");

        CliTest.withProperty("oddball.home", home, () -> {
            Path out = tmp.resolve("demo-out");
            Path report = tmp.resolve("demo.html");
            for (int run = 0; run < 2; run++) {
                Run r = CliTest.run("demo", "--out", out.toString(), "--report", report.toString());
                assertThat(r.code()).as(r.err()).isZero();
                assertThat(r.out()).contains("Oddball demo: knn detector, pipeline ")
                        .contains("Next: score your own data with\n  " + home.resolve("oddball") + " predict "
                                + out.resolve("knn") + " --data FILE --out scores.csv");
            }
            // data outside the working directory (the module folder) are named by their absolute path
            assertThat(Files.readString(report)).contains(home.resolve("data/fashion-mnist").toString());
            // the demo replaces only its own files: a note of the user's beside its detector stays
            Path notes = Files.writeString(out.resolve("knn").resolve("notes.txt"), "mine");
            Run again = CliTest.run("demo", "--out", out.toString(), "--report", report.toString());
            assertThat(again.code()).as(again.err()).isZero();
            assertThat(notes).hasContent("mine");
            // a folder of the user's without a detector is refused before any work
            Path other = tmp.resolve("other-out");
            Path theirs = Files.writeString(Files.createDirectories(other.resolve("knn")).resolve("notes.txt"),
                    "mine");
            Run refused = CliTest.run("demo", "--out", other.toString(), "--report", report.toString());
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).contains("found notes.txt (not part of one)");
            assertThat(theirs).hasContent("mine");
        });
    }

    @Test
    void theFirstRunNoticeAppearsOnlyWhileTensorFlowIsNotUnpacked() throws Exception {
        TensorFlowCache.Library lib = TensorFlowCache.library();
        assertThat(lib).as("TensorFlow's native library on the class path").isNotNull();
        assertThat(lib.entry()).contains("tensorflow");
        assertThat(lib.aboutMegabytes()).isBetween(100L, 2000L);
        Path cache = Files.createDirectories(tmp.resolve("javacpp-cache"));
        CliTest.withProperty("org.bytedeco.javacpp.cachedir", cache, () -> {
            assertThat(TensorFlowCache.firstRunNotice()).isEqualTo("first run: unpacking TensorFlow's native library "
                    + "(about " + lib.aboutMegabytes() + " MB) into " + cache + " ...");
            // what JavaCPP leaves behind: the library under a folder named after its jar, with the entry's time
            Path file = lib.cachedFile(cache, false);
            Files.createDirectories(file.getParent());
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(lib.size()); // sparse: no 600 MB written
            }
            Files.setLastModifiedTime(file, FileTime.fromMillis(lib.time()));
            assertThat(TensorFlowCache.firstRunNotice()).isNull();
            Files.setLastModifiedTime(file, FileTime.fromMillis(lib.time() + 60_000));
            assertThat(TensorFlowCache.firstRunNotice()).as("a copy JavaCPP would replace").isNotNull();
        });
        assertThat(TensorFlowCache.display(Path.of(System.getProperty("user.home"), ".javacpp", "cache")))
                .isEqualTo("~/.javacpp/cache");
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
