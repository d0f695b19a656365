/**
 * The {@code ae} detector: Alibi Detect's {@code OutlierAE} — an autoencoder trained on normal data, feature score
 * {@code (x − x̂)²} per element ({@link io.oddball.detector.ae.AeDetector}, made by
 * {@link io.oddball.detector.ae.AeDetectorProvider}), with the architectures of {@link io.oddball.detector.ae.AeConfig}
 * built in TensorFlow graph mode and saved as a SavedModel.
 */
package io.oddball.detector.ae;
