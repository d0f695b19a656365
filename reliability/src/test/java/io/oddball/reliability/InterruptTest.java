package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.oddball.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C (SIGINT, sent with {@code kill -INT}) to {@code oddball fit} and {@code oddball predict} running in a child
 * JVM: the command stops, exits non-zero, and leaves neither a partial output nor a temporary file; a previous
 * detector at the {@code --out} of fit is intact.
 */
class InterruptTest {
    static Path big;

    @BeforeAll
    static void data() throws IOException {
        big = SavedDetectorTest.bigNpy(Fixtures.ROOT.resolve("big.npy"), 400_000, 64);
    }

    @Test
    void ctrlCDuringFitSavesNothingAndKeepsThePreviousDetector() throws Exception {
        Path folder = Fixtures.folder("interrupted-fit");
        Path target = Fixtures.copyOf(Fixtures.knn(), folder.resolve("knn"));
        String before = Files.readString(target.resolve("detector.yaml"));
        // the self-search of 40 000 x 64 rows (for the percentile threshold) takes seconds
        Path yaml = Fixtures.write("slow-fit.yaml", "detector: {type: knn, k: 5}\n"
                + "data: {train: {path: " + big + ", limit: 40000}}\nthreshold: {type: percentile, percent: 95}\n");
        Path log = folder.resolve("fit.log");
        Process p = Cli.childJvm(log, Main.class.getName(), "fit", yaml, "--out", target, "--overwrite")
                .start();
        int code = interruptWhen(p, log, () -> contains(log, "reference instances of 64 features"));
        String text = Files.readString(log);
        assertThat(code).as(text).isIn(1, 130);
        assertThat(text).contains("stopping after the current step");
        assertThat(Files.readString(target.resolve("detector.yaml"))).isEqualTo(before);
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("knn", "fit.log");
        }
    }

    @Test
    void ctrlCDuringPredictWritesNoOutput() throws Exception {
        Path folder = Fixtures.folder("interrupted-predict");
        Path yaml = Fixtures.write("wide.yaml", "detector: {type: knn, k: 5}\n"
                + "data: {train: {path: " + big + ", limit: 2000}}\n");
        Path dir = folder.resolve("wide-knn");
        Cli.run("fit", yaml, "--out", dir).ok();
        Path csv = folder.resolve("scores.csv");
        Path log = folder.resolve("predict.log");
        Process p = Cli.childJvm(log, Main.class.getName(), "predict", dir, "--data", big, "--out", csv,
                "--batch-size", 64).start();
        int code = interruptWhen(p, log, () -> temporaryFiles(folder) > 0);
        String text = Files.readString(log);
        assertThat(code).as(text).isIn(1, 130);
        // stopped between batches ("stopped by the user after N instances") or inside a batch ("knn: stopped ...")
        assertThat(text).contains("stopping after the current step").contains("stopped by the user");
        assertThat(csv).doesNotExist();
        assertThat(temporaryFiles(folder)).isZero();
    }

    /** Waits until {@code started}, sends SIGINT, and returns the exit code (the child must stop within 60 s). */
    static int interruptWhen(Process p, Path log, BooleanSupplier started) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!started.getAsBoolean()) {
            assertThat(p.isAlive()).as("the child ended before it could be interrupted:\n" + Files.readString(log))
                    .isTrue();
            assertThat(System.nanoTime()).as("the child did not start in time").isLessThan(deadline);
            Thread.sleep(20);
        }
        // a shell that started the build in the background may have made SIGINT ignored for every child
        assumeFalse(sigintIgnored(p.pid()), "SIGINT is ignored in this environment (inherited SIG_IGN)");
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child did not stop within 60 s of Ctrl-C:\n" + Files.readString(log));
        }
        return p.exitValue();
    }

    /** Whether the process ignores SIGINT (bit 2 of SigIgn in /proc/PID/status). */
    static boolean sigintIgnored(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 2L) != 0;
            }
        }
        return false;
    }

    static boolean contains(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    static long temporaryFiles(Path folder) {
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().contains(".tmp-")).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
