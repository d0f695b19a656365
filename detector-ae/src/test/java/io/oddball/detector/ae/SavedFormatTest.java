package io.oddball.detector.ae;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Npy;
import io.oddball.api.data.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Saved detectors of every format version load and score as when they were saved: {@code saved/format-1-mlp} is a
 * small MLP autoencoder (6 features) saved by format 1, with 5 input rows and their feature scores at save time.
 */
class SavedFormatTest {
    @Test
    void format1LoadsAndScoresAsWhenSaved() throws Exception {
        Path dir = Path.of(getClass().getResource("/saved/format-1-mlp").toURI());
        Map<String, Object> hp = Map.of("architecture", "mlp", "latentDim", 2, "hidden", List.of(4),
                "outputActivation", "linear", "inferenceBatchSize", 256);
        Npy.FloatArray in = Npy.readFloats(dir.resolve("input.npy"));
        float[] expected = Npy.readFloats(dir.resolve("feature_scores.npy")).data();
        try (Detector d = new AeDetectorProvider().load(dir.resolve("model"), Params.of(hp), DetectorContext.simple())) {
            assertThat(d.inputShape()).isEqualTo(Shape.of(6));
            float[] got = d.score(Batch.wrap(in.data(), Shape.of(in.shape()), null)).featureScores();
            assertThat(got).hasSize(expected.length);
            // Written on the development machine; another CPU may round the last bit differently.
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).isCloseTo(expected[i], org.assertj.core.data.Percentage.withPercentage(1e-3));
            }
        }
    }
}
