package io.oddball.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.FitOptions;
import io.oddball.api.Params;
import io.oddball.api.error.ConfigException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlDocumentTest {
    private static YamlDocument parse(String yaml) {
        return YamlDocument.parse("p.yaml", new StringReader(yaml));
    }

    @Test
    void valuesKeepTheirTypesAndLines() {
        YamlDocument d = parse("""
                detector:
                  type: knn
                  fit: {epochs: 30, learningRate: 1.0e-3, seed: 42}
                preprocess: [{scale: 255}]
                """);
        Params root = d.params();
        Params det = root.child("detector");
        assertThat(det.getString("type", null)).isEqualTo("knn");
        FitOptions fit = FitOptions.from(det.child("fit"));
        assertThat(fit.epochs()).isEqualTo(30);
        assertThat(fit.learningRate()).isEqualTo(1e-3);
        assertThat(fit.seed()).isEqualTo(42);
        assertThat(root.children("preprocess").get(0).getDouble("scale", 0)).isEqualTo(255);
        assertThat(d.line("detector.fit.epochs")).isEqualTo(3);
        assertThat(d.line("preprocess[0].scale")).isEqualTo(4);
        root.finish();
    }

    @Test
    void allProblemsAreReportedAtOnceWithFileLineAndPath() {
        YamlDocument d = parse("""
                detector:
                  type: knn
                  fit:
                    epochs: many
                    batchsize: 64
                threshold: {type: percentile}
                extra: 1
                """);
        Params root = d.params();
        Params det = root.child("detector");
        det.getString("type", null);
        FitOptions.from(det.child("fit"));
        Params th = root.child("threshold");
        th.getString("type", null);
        assertThatThrownBy(root::finish).isInstanceOf(ConfigException.class).satisfies(e -> {
            List<String> problems = ((ConfigException) e).problems();
            assertThat(problems).containsExactlyInAnyOrder(
                    "p.yaml:4 detector.fit.epochs: expected an integer, found 'many'",
                    "p.yaml:5 detector.fit.batchsize: unknown key; did you mean 'batchSize'?",
                    "p.yaml:7 extra: unknown key");
        });
    }

    @Test
    void negativeEpochsAreOutOfRange() {
        Params root = parse("fit: {epochs: -3}").params();
        FitOptions.from(root.child("fit"));
        assertThatThrownBy(root::finish).hasMessage("p.yaml:1 fit.epochs: expected an integer >= 0, found -3");
    }

    @Test
    void unsafeTagsAreRefused() {
        assertThatThrownBy(() -> parse("detector: !!javax.script.ScriptEngineManager [x]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("p.yaml:1: invalid YAML: Global tag is not allowed");
        assertThatThrownBy(() -> parse("detector:\n  type: !custom knn\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("p.yaml:2 detector.type: expected a plain value, found the tag !custom (only standard "
                        + "YAML tags are allowed)");
    }

    @Test
    void syntaxErrorsNameTheLine() {
        assertThatThrownBy(() -> parse("detector:\n  type: knn\n bad: [\n"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("p.yaml:");
    }

    @Test
    void duplicateKeysAreErrors() {
        assertThatThrownBy(() -> parse("a: 1\na: 2\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("duplicate");
    }

    @Test
    void aScalarRootIsAnError() {
        assertThatThrownBy(() -> parse("just text\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected a YAML mapping at the top level");
    }

    @Test
    void anAliasThatContainsItselfIsOneProblemNotAStackOverflow() {
        assertThatThrownBy(() -> parse("extra: &a [*a]\ndetector: {type: knn}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("p.yaml:1 extra[0]: expected an alias to a block that does not contain it, found an "
                        + "alias that refers to itself");
        assertThatThrownBy(() -> parse("a: &m {b: {c: *m}}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("a.b.c: expected an alias to a block that does not contain it");
        // an alias used twice side by side is no cycle
        assertThat(parse("x: &l [1, 2]\ny: [*l, *l]\n").values().get("y")).isEqualTo(List.of(List.of(1, 2),
                List.of(1, 2)));
    }

    @Test
    void aliasesThatExpandToBillionsOfValuesAreRefusedAfterAMillion() {
        StringBuilder y = new StringBuilder("a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n");
        for (int i = 1; i < 9; i++) { // 9 lines, 40 aliases (SnakeYAML allows 50): 10 * 5^8 = 3.9 million values
            y.append("a").append(i).append(": &a").append(i).append(" [").append(("*a" + (i - 1) + ", ").repeat(4))
                    .append("*a").append(i - 1).append("]\n");
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> parse(y.toString())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected at most 1000000 values (aliases counted each time they are used), "
                        + "found more");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
    }

    @Test
    void aFileThatIsNotUtf8IsNamedWithTheOffendingByte(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path f = tmp.resolve("latin1.yaml");
        java.nio.file.Files.write(f, "detector: {type: knn}\nname: caf\u00e9\n".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> YamlDocument.read(f)).isInstanceOf(ConfigException.class)
                .hasMessage(f + ":2: expected UTF-8 text, found the byte 0xe9 at byte offset 31 (save the file as "
                        + "UTF-8)");
    }

    @Test
    void onlyARegularFileOfAtMostTenMebibytesIsRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path big = tmp.resolve("big.yaml");
        try (java.io.RandomAccessFile r = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            r.setLength(YamlDocument.MAX_BYTES + 1L); // sparse: nothing on disk
        }
        assertThatThrownBy(() -> YamlDocument.read(big)).isInstanceOf(ConfigException.class)
                .hasMessage(big + ": expected a YAML pipeline file of at most 10 MiB, found 10485761 bytes");
        assertThatThrownBy(() -> YamlDocument.read(tmp)).isInstanceOf(ConfigException.class)
                .hasMessage(tmp + ": expected a YAML pipeline file (a regular file), found a directory");
        assertThatThrownBy(() -> YamlDocument.read(java.nio.file.Path.of("/dev/zero")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/dev/zero: expected a YAML pipeline file (a regular file), found a FIFO, socket or device");
        java.nio.file.Path fifo = tmp.resolve("fifo.yaml");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
        // opening a FIFO with no writer blocks forever: it is refused before it is opened
        assertThatThrownBy(() -> YamlDocument.read(fifo)).isInstanceOf(ConfigException.class)
                .hasMessage(fifo + ": expected a YAML pipeline file (a regular file), found a FIFO, socket or device");
    }

    @Test
    void aConfigErrorListsTwentyProblemsAndCountsTheRest() {
        StringBuilder y = new StringBuilder("detector:\n  type: knn\n");
        for (int i = 0; i < 25; i++) {
            y.append("  unknown").append(i).append(": 1\n");
        }
        Params p = parse(y.toString()).params();
        p.child("detector").getString("type", null);
        assertThatThrownBy(p::finish).isInstanceOf(ConfigException.class).satisfies(e -> {
            ConfigException c = (ConfigException) e;
            assertThat(c.problems()).hasSize(25);
            assertThat(c.getMessage().split("\n")).hasSize(22).startsWith("25 configuration problems:")
                    .endsWith("  ... and 5 more");
        });
    }
}
