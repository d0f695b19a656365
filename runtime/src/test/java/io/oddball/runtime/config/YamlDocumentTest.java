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
}
