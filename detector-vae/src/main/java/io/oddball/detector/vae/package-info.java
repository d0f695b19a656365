/**
 * The {@code vae} detector: Alibi Detect's {@code OutlierVAE} — a variational autoencoder trained on normal data with
 * the ELBO, feature score the mean over {@code samples} latent draws of {@code (x − x̂)²}
 * ({@link io.oddball.detector.vae.VaeDetector}, made by {@link io.oddball.detector.vae.VaeDetectorProvider}), on the
 * encoder–decoder stacks shared with the {@code ae} detector, built in TensorFlow graph mode and saved as a
 * SavedModel that includes the seeded sampling.
 */
package io.oddball.detector.vae;
