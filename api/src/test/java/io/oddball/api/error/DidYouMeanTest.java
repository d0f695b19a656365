package io.oddball.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
    static final List<String> COMMANDS = List.of("fit", "predict", "infer-threshold", "evaluate", "report", "perturb",
            "maps", "sample", "plugins", "demo");

    @Test
    void nearNamesAreSuggestedFarOnesAreNot() {
        assertThat(DidYouMean.closest("predcit", COMMANDS)).isEqualTo("predict");
        assertThat(DidYouMean.closest("evalute", COMMANDS)).isEqualTo("evaluate");
        assertThat(DidYouMean.closest("Fit", COMMANDS)).isEqualTo("fit");
        assertThat(DidYouMean.closest("frobnicate", COMMANDS)).isNull();
        assertThat(DidYouMean.hint("kn", List.of("knn", "ae", "vae", "llr"))).isEqualTo("; did you mean 'knn'?");
        assertThat(DidYouMean.hint("isolation-forest", List.of("knn", "ae", "vae", "llr"))).isEmpty();
        assertThat(DidYouMean.hint("knn", List.of("knn"))).as("an exact name needs no hint").isEmpty();
        assertThat(DidYouMean.hint("", List.of("knn"))).isEmpty();
    }
}
