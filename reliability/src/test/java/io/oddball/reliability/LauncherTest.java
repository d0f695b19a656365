package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./oddball} launcher itself (a child process, on the jar the build just made; skipped when it has not
 * been packaged): at default verbosity standard error holds none of TensorFlow's lines, with {@code -v} it holds them;
 * a user's own {@code TF_CPP_MIN_LOG_LEVEL=0} shows them too; the exit code is the CLI's.
 */
class LauncherTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    /** The start of every line TensorFlow (or the Abseil logging in it) writes, as it writes them. */
    static final String TF_LINE = "(?m)^(WARNING: All log messages before absl::InitializeLog|[IWE]\\d{4} \\d\\d:\\d\\d:"
            + "|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: [IWE] )";

    record Result(int code, String out, String err) {
    }

    static Result launch(Map<String, String> env, Object... args) throws Exception {
        Path dir = Fixtures.folder("launcher-" + System.nanoTime());
        ProcessBuilder pb = launcher(dir, args);
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }

    /**
     * {@code bash ./oddball ARGS} on the jar the build made (skipped when it has not been packaged; never rebuilding),
     * this JVM's {@code java} first on the PATH, no {@code TF_CPP_MIN_LOG_LEVEL} of the caller's; standard output and
     * error to {@code dir/out} and {@code dir/err}.
     */
    static ProcessBuilder launcher(Path dir, Object... args) {
        assumeTrue(Files.isRegularFile(REPO.resolve("cli/target/oddball-cli.jar"))
                && Files.isDirectory(REPO.resolve("cli/target/lib")), "the CLI has not been packaged");
        List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve("oddball").toString()));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
        pb.environment().put("ODDBALL_NO_BUILD", "1");
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        return pb;
    }

    @Test
    void tensorFlowsOwnLinesOnlyWithVerbose() throws Exception {
        Path knn = Fixtures.knn();
        Path data = Fixtures.csv("launcher-data.csv", 20, 0, 11);
        Path csv = Fixtures.folder("launcher-out").resolve("scores.csv");
        Result quiet = launch(Map.of(), "predict", knn, "--data", data, "--out", csv);
        assertThat(quiet.code()).as(quiet.err()).isZero();
        assertThat(quiet.out()).contains("20 instances scored");
        assertThat(quiet.err()).doesNotContainPattern(TF_LINE).doesNotContain("\u001b[");

        Result verbose = launch(Map.of(), "-v", "predict", knn, "--data", data, "--out", csv);
        assertThat(verbose.code()).as(verbose.err()).isZero();
        assertThat(verbose.err()).containsPattern(TF_LINE);

        Result users = launch(Map.of("TF_CPP_MIN_LOG_LEVEL", "0"), "predict", knn, "--data", data, "--out", csv);
        assertThat(users.code()).isZero();
        assertThat(users.err()).containsPattern(TF_LINE);

        Result error = launch(Map.of(), "predict", knn, "--data", data.resolveSibling("nowhere.csv"), "--out", csv);
        assertThat(error.code()).isEqualTo(2);
        assertThat(error.err().strip().lines()).hasSize(1);
    }
}
