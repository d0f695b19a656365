/**
 * The autoencoder base shared by the {@code ae} and {@code vae} detectors: everything the two have in common, so that
 * each detector module holds only what makes it itself (the AE's squared-error graph, the VAE's latent heads,
 * sampling and ELBO).
 *
 * <ul>
 *   <li><b>Architectures and their parameters.</b> {@link io.oddball.tf.autoencoder.Architecture} names the networks
 *       by their YAML value ({@code conv}, {@code mlp}, {@code alibi-cifar10}, {@code screen-cifar});
 *       {@link io.oddball.tf.autoencoder.NetworkSpec} reads an architecture's keys from a detector's YAML block
 *       ({@code latentDim}, {@code filters}, {@code kernel}, {@code stride}, {@code hidden},
 *       {@code outputActivation}; which architecture reads which is said there) and gives the schema the CLI
 *       shows.</li>
 *   <li><b>The networks.</b> {@link io.oddball.tf.autoencoder.EncoderDecoder} turns a spec and an instance shape into
 *       an encoder and a decoder of {@link io.oddball.tf.layers} (the layers of each architecture are listed there).
 *       The VAE reuses the encoder without its code layer ({@code encoderBody()}) under its mean and log-variance
 *       heads; {@link io.oddball.tf.autoencoder.Network} is what a fitted detector keeps of either network.</li>
 *   <li><b>The detector life cycle.</b> {@link io.oddball.tf.autoencoder.ReconstructionDetector} fits once on finite
 *       data held in memory, scores through an inference graph whose outputs are {@code feature_scores} (one score
 *       per input element), {@code reconstruction} and {@code embedding} (the latent code), is thread-safe after fit
 *       and saves and closes; a detector writes only how to train and what to save. It reads the
 *       {@link io.oddball.tf.TfOptions} of its context once, when it is made, and builds every graph with them.</li>
 *   <li><b>The saved state.</b> {@link io.oddball.tf.autoencoder.NetworkFiles} writes the entries both detectors'
 *       state files share ({@code architecture}, {@code instanceShape}, {@code parameters}, what training did) and
 *       checks them on loading against {@code detector.yaml}, each failure naming the file and key.</li>
 * </ul>
 *
 * <p>The YAML keys and the state-file entries are a contract with users' pipelines and saved detectors: they change
 * only compatibly. The Java types are shared by Oddball's own detectors and may change with them.
 */
package io.oddball.tf.autoencoder;
