package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code oddball} CLI run in-process, and as a child JVM for the tests that kill or interrupt it. */
final class Cli {
    private Cli() {
    }

    /** Exit code and the text written to standard output and standard error. */
    record Run(int code, String out, String err) {
        /** Asserts a user error: exit 2, the problem on standard error, no stack trace. */
        Run usageError() {
            assertThat(code).as(err).isEqualTo(2);
            assertThat(err).startsWith("oddball: ").doesNotContain("\tat ").doesNotContain("Exception");
            return this;
        }

        /** Asserts a runtime failure: exit 1, one line on standard error, no stack trace. */
        Run failure() {
            assertThat(code).as(err).isEqualTo(1);
            assertThat(err).startsWith("oddball: ").doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(err.strip().lines()).hasSize(1);
            return this;
        }

        Run ok() {
            assertThat(code).as(err).isZero();
            return this;
        }
    }

    /** Runs {@code oddball args...} in this JVM. */
    static Run run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = String.valueOf(args[i]);
        }
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), a);
        return new Run(code, out.toString(), err.toString());
    }

    /** A child JVM running {@code mainClass args...} on this test's class path, output to {@code log}. */
    static ProcessBuilder childJvm(Path log, String mainClass, Object... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), mainClass));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        return pb;
    }
}
