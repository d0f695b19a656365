package io.oddball.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessorTest {
    @Test
    void scaleThenNormalizePerChannelAsThePyTorchScreen() {
        Params a = Params.of(Map.of("scale", 255));
        Params b = Params.of(Map.of("normalize", Map.of("mean", List.of(0.5, 0.5, 0.5), "std", List.of(0.5, 0.5, 0.25))));
        Preprocessor p = Preprocessor.from(List.of(a, b));
        a.finish();
        b.finish();
        // one 1x1 RGB pixel (255, 0, 127.5): /255 -> (1, 0, 0.5); (x - 0.5) / std -> (1, -1, 0)
        Batch out = p.apply(Batch.of(new float[] {255f, 0f, 127.5f}, Shape.of(1, 1, 1, 3)));
        assertThat(out.toArray()).containsExactly(1f, -1f, 0f);
        // round trip through detector.yaml's description
        Preprocessor again = Preprocessor.fromDescription(p.describe());
        assertThat(again.apply(Batch.of(new float[] {255f, 0f, 127.5f}, Shape.of(1, 1, 1, 3))).toArray())
                .containsExactly(1f, -1f, 0f);
    }

    @Test
    void badStepsAreProblems() {
        Params zero = Params.of(Map.of("scale", 0));
        Params unknown = Params.of(Map.of("sharpen", 2));
        Params badStd = Params.of(Map.of("normalize", Map.of("mean", List.of(0.5), "std", List.of(-1.0))));
        Preprocessor.from(List.of(zero, unknown, badStd));
        assertThatThrownBy(zero::finish).isInstanceOf(ConfigException.class).hasMessageContaining("scale");
        assertThatThrownBy(unknown::finish).hasMessageContaining("sharpen: expected a step 'scale' or 'normalize'");
        assertThatThrownBy(badStd::finish).hasMessageContaining("normalize.std: expected numbers > 0");
    }

    @Test
    void normalizeChecksTheChannelCount() {
        Params n = Params.of(Map.of("normalize", Map.of("mean", List.of(0.5, 0.5), "std", List.of(0.5, 0.5))));
        Preprocessor p = Preprocessor.from(List.of(n));
        assertThatThrownBy(() -> p.check(Shape.of(32, 32, 3), "p.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected 1 or 3 per-channel values").hasMessageContaining("found 2");
    }
}
