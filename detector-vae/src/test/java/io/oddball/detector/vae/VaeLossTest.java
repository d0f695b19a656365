package io.oddball.detector.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The ELBO's terms in TensorFlow against closed-form values computed here in plain Java on a hand-made batch. */
class VaeLossTest {
    private static final float[][] X = {{0.1f, 0.5f, 0.9f}, {0.0f, 0.3f, 1.0f}};
    private static final float[][] XHAT = {{0.2f, 0.45f, 0.7f}, {0.05f, 0.3f, 0.6f}};
    private static final float[][] MU = {{0.5f, -1.0f}, {0.0f, 2.0f}};
    private static final float[][] LOGVAR = {{0.0f, -0.5f}, {1.0f, -2.0f}};

    @Test
    void gaussianNegativeLogLikelihoodWithFixedSigmaMatchesClosedForm() {
        double sigma = 0.05;
        // -log N(x; x̂, σ²I) = Σ_j [(x−x̂)²/(2σ²) + log σ + ½ log 2π], averaged over the 2 instances
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double d = X[i][j] - XHAT[i][j];
                expected += d * d / (2 * sigma * sigma) + Math.log(sigma) + 0.5 * Math.log(2 * Math.PI);
            }
        }
        expected /= 2;
        double got = run(tf -> VaeLoss.gaussianNll(tf, tf.constant(X), tf.constant(XHAT),
                tf.constant((float) Math.log(sigma))));
        assertThat(got).isCloseTo(expected, within(1e-5 * Math.abs(expected)));
        assertThat(expected).isCloseTo(15.2696, within(1e-3)); // the figure itself, so a sign slip shows
    }

    @Test
    void gaussianNegativeLogLikelihoodWithPerFeatureSigmaMatchesClosedForm() {
        double[] sigma = {0.1, 0.5, 2.0};
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double d = (X[i][j] - XHAT[i][j]) / sigma[j];
                expected += 0.5 * d * d + Math.log(sigma[j]) + 0.5 * Math.log(2 * Math.PI);
            }
        }
        expected /= 2;
        float[] logSigma = new float[3];
        for (int j = 0; j < 3; j++) {
            logSigma[j] = (float) Math.log(sigma[j]);
        }
        double got = run(tf -> VaeLoss.gaussianNll(tf, tf.constant(X), tf.constant(XHAT), tf.constant(logSigma)));
        assertThat(got).isCloseTo(expected, within(1e-5 * Math.abs(expected) + 1e-6));
    }

    @Test
    void klDivergenceMatchesClosedForm() {
        // Alibi: -0.5 · mean over batch and latent units of (logvar − μ² − exp(logvar) + 1)
        double sum = 0;
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 2; k++) {
                sum += LOGVAR[i][k] - MU[i][k] * MU[i][k] - Math.exp(LOGVAR[i][k]) + 1;
            }
        }
        double expected = -0.5 * sum / 4;
        double got = run(tf -> VaeLoss.kl(tf, tf.constant(MU), tf.constant(LOGVAR)));
        assertThat(got).isCloseTo(expected, within(1e-6));
        // KL of N(0, I) from itself is 0
        assertThat(run(tf -> VaeLoss.kl(tf, tf.constant(new float[2][3]), tf.constant(new float[2][3]))))
                .isCloseTo(0, within(1e-7));
    }

    private static double run(java.util.function.Function<Ops, Operand<TFloat32>> build) {
        try (Graph g = new Graph()) {
            Operand<TFloat32> out = build.apply(Ops.create(g));
            assertThat(out.shape()).isEqualTo(Shape.scalar());
            try (Session s = Sessions.open(g); Result r = s.runner().fetch(out).run()) {
                return Tensors.get(r, 0, TFloat32.class).getFloat();
            }
        }
    }
}
