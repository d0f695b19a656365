package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.oddball.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing of the user's is deleted or overwritten: {@code fit --out} replaces only Oddball's own files of a detector
 * folder; no output may be an input or lie inside the saved detector in use; outputs go to regular files only (never
 * a device, a FIFO or a link to one); standard output write errors are reported; temporary files are removed on
 * SIGTERM and, after a SIGKILL, by the next run. Every case checks the exit code, the one message line, and that the
 * user's files are byte-identical afterwards.
 */
class OutputSafetyTest {
    static Path data;
    static Path yaml;

    @BeforeAll
    static void setUp() {
        Fixtures.knn();
        data = Fixtures.csv("safety-data.csv", 10, 0, 21);
        yaml = Fixtures.write("safety.yaml", "detector: {type: knn, k: 3}\ndata: {train: {path: "
                + Fixtures.csv("safety-train.csv", 40, 0, 22) + "}}\n");
    }

    /** Every regular file under {@code root} (links not followed), with its bytes. */
    static Map<Path, byte[]> snapshot(Path root) throws IOException {
        Map<Path, byte[]> m = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    m.put(root.relativize(p), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    static void assertUnchanged(Path root, Map<Path, byte[]> before) throws IOException {
        Map<Path, byte[]> after = snapshot(root);
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        before.forEach((p, b) -> assertThat(after.get(p)).as(p.toString()).isEqualTo(b));
    }

    /** The single line of a usage error (exit 2). */
    static String usageLine(Cli.Run r) {
        r.usageError();
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        return r.err().strip();
    }

    static List<String> hiddenLeftovers(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.contains(".tmp-") || n.contains(".old-"))
                    .toList();
        }
    }

    // ---- fit --out

    @Test
    void refittingADetectorFolderKeepsTheUsersFiles() throws IOException {
        Path folder = Fixtures.folder("safety-refit");
        Path target = Fixtures.copyOf(Fixtures.knn(), folder.resolve("knn"));
        Files.writeString(target.resolve("NOTES.md"), "# my notes\nfitted on Tuesday\n");
        Path scores = folder.resolve("scores.csv");
        Cli.run("predict", target, "--data", data, "--out", scores).ok();
        Files.move(scores, target.resolve("scores.csv"));
        Files.createDirectories(target.resolve("plots"));
        Files.write(target.resolve("plots/roc.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Map<Path, byte[]> all = snapshot(target);

        assertThat(usageLine(Cli.run("fit", yaml, "--out", target))).isEqualTo("oddball: --out " + target
                + ": exists; pass --overwrite to replace the detector in it");
        assertUnchanged(target, all);

        Cli.run("fit", yaml, "--out", target, "--overwrite").ok();
        Map<Path, byte[]> after = snapshot(target);
        for (String mine : List.of("NOTES.md", "scores.csv", "plots/roc.png")) {
            assertThat(after.get(Path.of(mine))).as(mine).isEqualTo(all.get(Path.of(mine)));
        }
        assertThat(Files.readString(target.resolve("detector.yaml"))).contains("k: 3").contains("instances: 40");
        try (Stream<Path> files = Files.list(target)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("NOTES.md",
                    "scores.csv", "plots", "detector.yaml", "model");
        }
        assertThat(hiddenLeftovers(folder)).isEmpty();
        Path again = folder.resolve("again.csv");
        Cli.run("predict", target, "--data", data, "--out", again).ok();
        assertThat(Files.readAllLines(again)).hasSize(11);
    }

    @Test
    void aFolderWithAnotherToolsDetectorYamlIsNeverReplaced() throws IOException {
        Path folder = Fixtures.folder("safety-other-tool");
        Path other = Files.createDirectories(folder.resolve("other"));
        Files.writeString(other.resolve("detector.yaml"), "format: isolation-forest\nmodel: weights.bin\n");
        Files.write(other.resolve("weights.bin"), new byte[] {1, 2, 3, 4});
        Files.createDirectories(other.resolve("model"));
        Files.writeString(other.resolve("model/params.json"), "{\"trees\": 100}");
        Map<Path, byte[]> before = snapshot(other);
        for (boolean overwrite : new boolean[] {false, true}) {
            Cli.Run r = overwrite ? Cli.run("fit", yaml, "--out", other, "--overwrite")
                    : Cli.run("fit", yaml, "--out", other);
            assertThat(usageLine(r)).isEqualTo("oddball: --out " + other + ": expected an empty folder or a saved "
                    + "Oddball detector, found detector.yaml (not of format oddball-detector); choose another folder "
                    + "(nothing was changed)");
            assertUnchanged(other, before);
        }
        Path mine = Files.createDirectories(folder.resolve("mine"));
        Files.writeString(mine.resolve("a.txt"), "mine");
        assertThat(usageLine(Cli.run("fit", yaml, "--out", mine, "--overwrite"))).isEqualTo("oddball: --out "
                + mine + ": expected an empty folder or a saved Oddball detector, found a.txt (not part of one); "
                + "choose another folder (nothing was changed)");
        assertThat(mine.resolve("a.txt")).hasContent("mine");
        assertThat(hiddenLeftovers(folder)).isEmpty();
    }

    @Test
    void aSymbolicLinkToADetectorIsRefusedNotReplaced() throws IOException {
        Path folder = Fixtures.folder("safety-link");
        Path real = Fixtures.copyOf(Fixtures.knn(), folder.resolve("v3"));
        Path link = Files.createSymbolicLink(folder.resolve("current"), Path.of("v3"));
        Map<Path, byte[]> before = snapshot(real);
        for (boolean overwrite : new boolean[] {false, true}) {
            Cli.Run r = overwrite ? Cli.run("fit", yaml, "--out", link, "--overwrite")
                    : Cli.run("fit", yaml, "--out", link);
            assertThat(usageLine(r)).isEqualTo("oddball: --out " + link + ": expected a folder for the detector, "
                    + "found a symbolic link to v3; give the folder itself (nothing was changed)");
        }
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("v3"));
        assertUnchanged(real, before);
        assertThat(hiddenLeftovers(folder)).isEmpty();
    }

    // ---- outputs that are inputs

    @Test
    void anOutputThatIsAnInputOrInsideTheDetectorInUseIsRefused() throws IOException {
        Path folder = Fixtures.folder("safety-inputs");
        Path det = Fixtures.copyOf(Fixtures.knn(), folder.resolve("knn"));
        Path csv = Files.copy(data, folder.resolve("data.csv"));
        Path link = Files.createSymbolicLink(folder.resolve("link.csv"), Path.of("data.csv"));
        Path hard = Files.createLink(folder.resolve("hard.csv"), csv); // the same file under a second name
        Path x = Files.write(folder.resolve("x.npy"), Samples.npy(new Random(3), 20, 5));
        ByteBuffer labels = ByteBuffer.allocate(8 * 20).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 20; i++) {
            labels.putLong(i % 2);
        }
        Path y = Files.write(folder.resolve("y.npy"), Samples.npy("<i8", "(20,)", labels.array()));
        Path reference = det.resolve("model/reference.npy");
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Path jar = io.oddball.runtime.plugin.PluginJars.build(plugins.resolve("stub.jar"), Map.of("com.example.s.Stub",
                io.oddball.runtime.plugin.PluginJars.stubProviderSource("com.example.s", "Stub", "stub", "")),
                Map.of(io.oddball.api.DetectorProvider.class.getName(), "com.example.s.Stub\n"), "1.0");
        Map<Path, byte[]> before = snapshot(folder);
        String same = ": expected a path that is not an input, found the same file as ";
        String inside = ": expected a path outside the inputs, found it inside ";
        String tail = "; choose another path (nothing was written)";

        Map<List<Object>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("predict", det, "--data", csv, "--out", csv), "--out " + csv + same + "--data " + csv);
        cases.put(List.of("predict", det, "--data", csv, "--out", link), "--out " + link + same + "--data " + csv);
        cases.put(List.of("predict", det, "--data", csv, "--out", hard), "--out " + hard + same + "--data " + csv);
        cases.put(List.of("report", det, "--in", x, "--ood", csv, "--out", hard), "--out " + hard + same + "--ood "
                + csv);
        // a plugin jar in use is code the command runs: it used to be replaced by the scores
        cases.put(List.of("--plugins", plugins, "predict", det, "--data", csv, "--out", jar, "--output-format", "csv"),
                "--out " + jar + same + "the plugin " + jar);
        Path dotted = folder.resolve("knn/../data.csv");
        cases.put(List.of("predict", det, "--data", csv, "--out", dotted), "--out " + dotted + same + "--data "
                + csv);
        cases.put(List.of("predict", det, "--data", x, "-O", "labels=" + y, "--out", y), "--out " + y + same
                + "-O labels=" + y);
        cases.put(List.of("predict", det, "--data", csv, "--out", reference), "--out " + reference + inside
                + "the saved detector " + det);
        cases.put(List.of("report", det, "--in", csv, "--ood", x, "--out", csv), "--out " + csv + same + "--in "
                + csv);
        cases.put(List.of("report", det, "--in", csv, "--ood", csv, "--out", det.resolve("report.html")), "--out "
                + det.resolve("report.html") + inside + "the saved detector " + det);
        cases.put(List.of("report", det, "--in", csv, "--ood", csv, "--png", det.resolve("model"), "--out",
                folder.resolve("r.html")), "--png " + det.resolve("model") + inside + "the saved detector " + det);
        cases.put(List.of("perturb", det, "--data", csv, "--out", csv), "--out " + csv + same + "--data " + csv);
        cases.put(List.of("maps", det, "--data", csv, "--out", det.resolve("model")), "--out "
                + det.resolve("model") + inside + "the saved detector " + det);
        cases.put(List.of("sample", det, "--out", det.resolve("model/s.png")), "--out " + det.resolve("model/s.png")
                + inside + "the saved detector " + det);
        for (var c : cases.entrySet()) {
            Cli.Run r = Cli.run(c.getKey().toArray());
            assertThat(usageLine(r)).as(c.getKey().toString()).isEqualTo("oddball: " + c.getValue() + tail);
            assertUnchanged(folder, before);
        }
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("data.csv"));
        assertThat(hiddenLeftovers(folder)).isEmpty();
        assertThat(hiddenLeftovers(det.resolve("model"))).isEmpty();

    }

    // ---- outputs that are not regular files

    @Test
    void devicesFifosAndLinksToThemAreRefusedAndLeftAlone() throws Exception {
        Path folder = Fixtures.folder("safety-special");
        Path det = Fixtures.knn();
        Path fifo = folder.resolve("pipe.csv");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() == 0,
                "mkfifo is available");
        // as root a regression would replace the machine's own /dev/null and /dev/full: use device nodes of the test's
        Path devNull = device(folder, "null", 3);
        Path devFull = device(folder, "full", 7);
        Path toNull = Files.createSymbolicLink(folder.resolve("null.csv"), devNull);
        Path toFifo = Files.createSymbolicLink(folder.resolve("fifo-link.csv"), fifo);
        Path dangling = Files.createSymbolicLink(folder.resolve("gone.csv"), folder.resolve("nowhere.csv"));
        Path stdoutLike = Files.createSymbolicLink(folder.resolve("stdout.png"), devFull);
        Path aFolder = Files.createDirectories(folder.resolve("dir.csv"));
        String tail = "; choose a file (nothing was written)";
        String exp = ": expected a regular file to write, found ";

        Map<List<Object>, String> cases = new LinkedHashMap<>();
        if (Files.exists(devFull, LinkOption.NOFOLLOW_LINKS)) {
            cases.put(List.of("predict", det, "--data", data, "--out", devFull, "--output-format", "CSV"),
                    "--out " + devFull + exp + "a character device");
            cases.put(List.of("sample", det, "--out", stdoutLike), "--out " + stdoutLike + exp
                    + "a symbolic link to " + devFull + " (a character device)");
        }
        cases.put(List.of("predict", det, "--data", data, "--out", devNull, "--output-format", "CSV"),
                "--out " + devNull + exp + "a character device");
        cases.put(List.of("predict", det, "--data", data, "--out", fifo), "--out " + fifo + exp
                + "a FIFO (named pipe)");
        cases.put(List.of("predict", det, "--data", data, "--out", toNull), "--out " + toNull + exp
                + "a symbolic link to " + devNull + " (a character device)");
        cases.put(List.of("predict", det, "--data", data, "--out", toFifo), "--out " + toFifo + exp
                + "a symbolic link to " + fifo + " (a FIFO (named pipe))");
        cases.put(List.of("predict", det, "--data", data, "--out", dangling), "--out " + dangling + exp
                + "a symbolic link to " + folder.resolve("nowhere.csv") + ", which does not exist");
        cases.put(List.of("predict", det, "--data", data, "--out", aFolder), "--out " + aFolder + exp
                + "a folder");
        cases.put(List.of("report", det, "--in", data, "--ood", data, "--out", toNull), "--out " + toNull + exp
                + "a symbolic link to " + devNull + " (a character device)");
        cases.put(List.of("perturb", det, "--data", data, "--out", fifo), "--out " + fifo + exp
                + "a FIFO (named pipe)");
        for (var c : cases.entrySet()) {
            Cli.Run r = Cli.run(c.getKey().toArray());
            assertThat(usageLine(r)).as(c.getKey().toString()).isEqualTo("oddball: " + c.getValue() + tail);
        }
        assertThat(usageLine(Cli.run("report", det, "--in", data, "--ood", data, "--out", "-")))
                .isEqualTo("oddball: --out -: expected a file name, found '-' (only predict --out - writes to "
                        + "standard output)");
        assertThat(usageLine(Cli.run("maps", det, "--data", data, "--out", fifo))).isEqualTo("oddball: --out "
                + fifo + ": expected a folder to write into, found a FIFO (named pipe); choose a folder (nothing was "
                + "written)");

        // nothing was replaced: the devices are devices, the FIFO a FIFO, every link the same link
        assertThat(Files.isRegularFile(devNull)).isFalse();
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.isSymbolicLink(fifo)).isFalse();
        assertThat(Files.readSymbolicLink(toNull)).isEqualTo(devNull);
        assertThat(Files.readSymbolicLink(toFifo)).isEqualTo(fifo);
        assertThat(Files.readSymbolicLink(stdoutLike)).isEqualTo(devFull);
        assertThat(Files.readSymbolicLink(dangling)).isEqualTo(folder.resolve("nowhere.csv"));
        assertThat(folder.resolve("nowhere.csv")).doesNotExist();
        assertThat(aFolder).isEmptyDirectory();
        assertThat(hiddenLeftovers(folder)).isEmpty();
    }

    @Test
    void aLinkToARegularFileIsWrittenThroughAndStdoutTakesText() throws IOException {
        Path folder = Fixtures.folder("safety-through");
        Path real = Files.writeString(folder.resolve("real.csv"), "old scores\n");
        Path link = Files.createSymbolicLink(folder.resolve("latest.csv"), Path.of("real.csv"));
        Cli.run("predict", Fixtures.knn(), "--data", data, "--out", link).ok();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("real.csv"));
        List<String> lines = Files.readAllLines(real);
        assertThat(lines).hasSize(11).first().isEqualTo("index,instance_score,is_outlier");

        Cli.Run s = Cli.run("predict", Fixtures.knn(), "--data", data, "--out", "-").ok();
        assertThat(s.out().lines().toList()).isEqualTo(lines);
        assertThat(s.err()).contains("10 instances scored").contains("wrote standard output");
        Cli.Run j = Cli.run("predict", Fixtures.knn(), "--data", data, "--out", "-", "--output-format", "JSON")
                .ok();
        assertThat(j.out()).startsWith("{\"meta\": ").contains("\"predictions\": [");
        // choices are read in any case, as users type them (and --nan-policy, --precision too)
        Cli.Run lower = Cli.run("predict", Fixtures.knn(), "--data", data, "--out", "-", "--output-format", "json",
                "--nan-policy", "Reject", "--precision", "FLOAT32").ok();
        assertThat(lower.out()).isEqualTo(j.out());
        // --format too: the readers' names are lower case (it was 'format: expected one of [...], found 'CSV'')
        Cli.Run upper = Cli.run("predict", Fixtures.knn(), "--data", data, "--format", "CSV", "--out", "-",
                "--output-format", "Json").ok();
        assertThat(upper.out()).isEqualTo(j.out());
        assertThat(usageLine(Cli.run("predict", Fixtures.knn(), "--data", data, "--out", "-", "--output-format",
                "NPY"))).isEqualTo("oddball: --out -: expected csv or json for standard output, found npy (binary); "
                + "give a file name ending in .npy");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("real.csv",
                    "latest.csv");
        }
    }

    // ---- standard output write errors

    /** A stream every write to which fails, as on a full disk. */
    static final class Full extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }
    }

    @Test
    void standardOutputWriteErrorsExitOneWithOneLine() throws IOException {
        Path det = Fixtures.copyOf(Fixtures.knn(), Fixtures.folder("safety-stdout").resolve("knn"));
        List<List<Object>> commands = new ArrayList<>();
        commands.add(List.of("evaluate", det, "--in", data, "--ood", data, "--json"));
        commands.add(List.of("evaluate", det, "--in", data, "--ood", data));
        commands.add(List.of("predict", det, "--data", data, "--out", "-"));
        commands.add(List.of("predict", det, "--data", data, "--out", det.getParent().resolve("p.csv")));
        commands.add(List.of("infer-threshold", det, "--data", data, "--percent", 90));
        commands.add(List.of("plugins"));
        commands.add(List.of("--version"));
        commands.add(List.of("predict", "--help"));
        for (List<Object> c : commands) {
            StringWriter err = new StringWriter();
            String[] args = c.stream().map(String::valueOf).toArray(String[]::new);
            int code = Main.run(new PrintWriter(new Full(), true), new PrintWriter(err, true), args);
            assertThat(code).as(c + ": " + err).isEqualTo(1);
            // only the error: predict --out - stops at the first batch it cannot write and prints no summary
            // (it used to add '... instances scored ...; wrote standard output' on standard error)
            List<String> lines = err.toString().strip().lines().toList();
            assertThat(lines).as(c.toString()).containsExactly("oddball: standard output: expected to write the "
                    + "results, found a write error (a full disk or a closed pipe?); the output is incomplete");
        }
    }

    @Test
    void evaluateJsonToDevFullExitsOneThroughTheLauncher() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/full")), "/dev/full exists");
        Path folder = Fixtures.folder("safety-dev-full");
        Path err = folder.resolve("err.log");
        ProcessBuilder pb = Cli.childJvm(err, Main.class.getName(), "evaluate", Fixtures.knn(), "--in", data,
                "--ood", data, "--json");
        pb.redirectErrorStream(false).redirectOutput(Path.of("/dev/full").toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(err);
        assertThat(p.exitValue()).as(text).isEqualTo(1);
        assertThat(text.lines().filter(l -> l.startsWith("oddball: ")).toList()).containsExactly("oddball: standard "
                + "output: expected to write the results, found a write error (a full disk or a closed pipe?); the "
                + "output is incomplete");
    }

    // ---- temporary files

    static Path wideDetector(Path folder) {
        Path yamlWide = Fixtures.write("safety-wide.yaml", "detector: {type: knn, k: 5}\n"
                + "data: {train: {path: " + InterruptTest.big + ", limit: 2000}}\n");
        Path dir = folder.resolve("wide-knn");
        Cli.run("fit", yamlWide, "--out", dir).ok();
        return dir;
    }

    static Process predictUntilItWrites(Path dir, Path out, Path log) throws Exception {
        Process p = Cli.childJvm(log, Main.class.getName(), "predict", dir, "--data", InterruptTest.big, "--out", out,
                "--batch-size", 64).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String mine = "." + out.getFileName() + ".tmp-" + p.pid() + "-";
        while (!ownTemporaryFile(out.getParent(), mine)) {
            assertThat(p.isAlive()).as("the child ended before writing:\n" + Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("the child did not start writing in time").isLessThan(deadline);
            Thread.sleep(20);
        }
        return p;
    }

    static boolean ownTemporaryFile(Path folder, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(prefix));
        }
    }

    @Test
    void sigtermDuringPredictLeavesNoTemporaryFile() throws Exception {
        InterruptTest.data();
        Path folder = Fixtures.folder("safety-sigterm");
        Path dir = wideDetector(folder);
        Path out = Files.createDirectories(folder.resolve("out")).resolve("x.csv");
        Process p = predictUntilItWrites(dir, out, folder.resolve("predict.log"));
        p.destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).doesNotExist();
        assertThat(InterruptTest.temporaryFiles(out.getParent())).isZero();
    }

    @Test
    void theNextRunRemovesTheTemporaryFileOfAKilledOneAndNothingElse() throws Exception {
        InterruptTest.data();
        Path folder = Fixtures.folder("safety-sigkill");
        Path dir = wideDetector(folder);
        Path outs = Files.createDirectories(folder.resolve("out"));
        Path out = outs.resolve("x.csv");
        // files that look alike but are not a dead run's temporary files: each must survive
        Files.writeString(outs.resolve(".x.csv.tmp-keep"), "user's");
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor()).isZero();
        long dead = ended.pid();
        Files.writeString(outs.resolve("x.csv.tmp-" + dead + "-" + UUID.randomUUID()), "not hidden");
        Files.writeString(outs.resolve(".x.csv.tmp-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID()),
                "a live process's");
        Path recent = Files.writeString(outs.resolve(".z.csv.tmp-" + dead + "-" + UUID.randomUUID()), "newer");
        Files.setLastModifiedTime(recent, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                + 3_600_000));
        Files.createDirectories(outs.resolve("notes"));
        Files.writeString(outs.resolve("notes/.y.csv.tmp-" + dead + "-" + UUID.randomUUID()), "in a subfolder");
        Map<Path, byte[]> before = snapshot(outs);

        Process p = predictUntilItWrites(dir, out, folder.resolve("killed.log"));
        p.destroyForcibly();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<Path> left;
        try (Stream<Path> files = Files.list(outs)) {
            left = files.filter(f -> f.getFileName().toString().contains(".tmp-" + p.pid() + "-")).toList();
        }
        assertThat(left).as("SIGKILL cannot be caught: the killed run's temporary file remains").hasSize(1);
        assertThat(out).doesNotExist();

        // the next run (a new process, started after the killed one's last write) writing to the same folder
        Path log = folder.resolve("next.log");
        Process next = Cli.childJvm(log, Main.class.getName(), "predict", Fixtures.knn(), "--data", data, "--out",
                outs.resolve("y.csv")).start();
        assertThat(next.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(next.exitValue()).as(Files.readString(log)).isZero();
        assertThat(left.get(0)).doesNotExist();
        Files.delete(outs.resolve("y.csv"));
        assertUnchanged(outs, before);
    }

    /**
     * The character device {@code /dev/NAME}, or, when the tests run as root (who could replace it), a node of the same
     * device made in {@code folder} with mknod.
     */
    private static Path device(Path folder, String name, int minor) throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Path.of("/dev", name);
        }
        Path node = folder.resolve("dev-" + name);
        int rc = new ProcessBuilder("mknod", "-m", "666", node.toString(), "c", "1", String.valueOf(minor))
                .inheritIO().start().waitFor();
        assumeTrue(rc == 0, "mknod can make a device node for the test");
        return node;
    }
}
