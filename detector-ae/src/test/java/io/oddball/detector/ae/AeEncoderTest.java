package io.oddball.detector.ae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ModelFormatException;
import io.oddball.tf.io.InferenceModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The autoencoder as an {@link io.oddball.api.Encoder}: the latent code, in the SavedModel as {@code embedding}. */
class AeEncoderTest {
    @TempDir
    Path tmp;

    @Test
    void encodesToTheLatentCodeBeforeAndAfterLoadingAndInTheSavedModel() {
        Batch x = Fixtures.cifar(64, 4);
        Map<String, Object> params = Map.of("architecture", "conv", "filters", List.of(4), "latentDim", 5);
        float[] codes;
        try (AeDetector d = Fixtures.detector(params)) {
            assertThat(d.codeShape()).isNull();
            d.fit(Dataset.of("cifar 8x8", x), new FitOptions(1, 32, 1e-3, 1, 0, 0));
            assertThat(d.codeShape()).isEqualTo(Shape.of(5));
            codes = d.encode(x);
            assertThat(codes).hasSize(64 * 5);
            // another batch size: equal to float rounding (AVX2 blocks the sums by batch size)
            io.oddball.tf.testing.Floats.assertClose("code of row 3 alone", d.encode(x.slice(3, 4)),
                    java.util.Arrays.copyOfRange(codes, 15, 20));
            d.save(tmp);
        }
        try (AeDetector loaded = (AeDetector) new AeDetectorProvider().load(tmp, Params.of(hyperParameters(params)),
                DetectorContext.simple())) {
            assertThat(loaded.codeShape()).isEqualTo(Shape.of(5));
            assertThat(loaded.encode(x)).containsExactly(codes);
        }
        // Any TensorFlow runtime sees the code as the signature's 'embedding' output: TensorFlow's stock ops, where
        // this JVM runs the convolution's patches in Oddball's op library — the same sums in another order
        try (InferenceModel m = InferenceModel.load(tmp.resolve(AeModelFiles.SAVED_MODEL), Shape.of(8, 8, 3),
                Map.of("embedding", Shape.of(5)), io.oddball.tf.TfOptions.defaults())) {
            float[] saved = m.run(x.toArray(), 64, 16, "embedding")[0];
            assertThat(saved).hasSameSizeAs(codes);
            for (int i = 0; i < codes.length; i++) {
                assertThat(saved[i]).as("code value %d", i).isCloseTo(codes[i], within(1e-5f));
            }
        }
    }

    @Test
    void aFormat1ModelWithoutEmbeddingScoresButCannotEncode() throws Exception {
        Path dir = Path.of(getClass().getResource("/saved/format-1-mlp").toURI());
        Map<String, Object> hp = Map.of("architecture", "mlp", "latentDim", 2, "hidden", List.of(4),
                "outputActivation", "linear", "inferenceBatchSize", 256);
        try (AeDetector d = (AeDetector) new AeDetectorProvider().load(dir.resolve("model"), Params.of(hp),
                DetectorContext.simple())) {
            assertThat(d.codeShape()).isEqualTo(Shape.of(2));
            Batch rows = Batch.of(new float[6], Shape.of(1, 6));
            assertThat(d.score(rows).featureScores()).hasSize(6);
            assertThatThrownBy(() -> d.encode(rows)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("expected a model with an 'embedding' output, found only")
                    .hasMessageContaining("refit");
        }
    }

    /** The hyper-parameters as a saved detector records them (defaults filled in). */
    private static Map<String, Object> hyperParameters(Map<String, Object> params) {
        return AeConfig.from(Params.of(params)).toMap();
    }
}
