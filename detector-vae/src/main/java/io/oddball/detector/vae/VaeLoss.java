package io.oddball.detector.vae;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The two terms of the VAE's loss as Alibi Detect computes them (and the PyTorch peer): the negative Gaussian
 * log-likelihood of the reconstruction, summed over features and averaged over the batch (Alibi's {@code elbo}:
 * {@code -reduce_mean(MultivariateNormalDiag(x̂, σ).log_prob(x))}), and the KL divergence of {@code q(z|x) =
 * N(μ, exp(logvar))} from {@code N(0, I)} as Alibi's {@code VAE} model adds it, a mean over batch and latent units:
 * {@code -0.5 · mean(logvar − μ² − exp(logvar) + 1)}.
 */
final class VaeLoss {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private VaeLoss() {
    }

    /**
     * {@code mean_i Σ_j [ ½((x_ij − x̂_ij)/σ_j)² + log σ_j + ½ log 2π ]} for {@code x}, {@code xhat} of shape
     * {@code [n, D]} and {@code logSigma} a scalar or of shape {@code [D]}.
     */
    static Operand<TFloat32> gaussianNll(Ops tf, Operand<TFloat32> x, Operand<TFloat32> xhat,
            Operand<TFloat32> logSigma) {
        Operand<TFloat32> z = tf.math.mul(tf.math.sub(x, xhat), tf.math.exp(tf.math.neg(logSigma)));
        Operand<TFloat32> perFeature = tf.math.add(tf.math.add(tf.math.mul(tf.constant(0.5f), tf.math.square(z)),
                logSigma), tf.constant((float) HALF_LOG_2PI));
        Operand<TFloat32> perInstance = tf.sum(perFeature, tf.constant(1));
        return tf.math.mean(perInstance, tf.constant(0));
    }

    /** {@code -0.5 · mean(logvar − μ² − exp(logvar) + 1)} over all elements of {@code [n, L]} inputs. */
    static Operand<TFloat32> kl(Ops tf, Operand<TFloat32> mu, Operand<TFloat32> logVar) {
        Operand<TFloat32> t = tf.math.add(tf.math.sub(tf.math.sub(logVar, tf.math.square(mu)), tf.math.exp(logVar)),
                tf.constant(1f));
        Operand<TFloat32> flat = tf.reshape(t, tf.constant(new int[] {-1}));
        return tf.math.mul(tf.constant(-0.5f), tf.math.mean(flat, tf.constant(0)));
    }
}
