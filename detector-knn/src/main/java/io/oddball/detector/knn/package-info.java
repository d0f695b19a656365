/**
 * The {@code knn} detector: cleanlab {@code OutOfDistribution}-compatible k-nearest-neighbour atypicality
 * ({@link io.oddball.detector.knn.KnnDetector}, made by {@link io.oddball.detector.knn.KnnDetectorProvider}), with the
 * neighbour search in TensorFlow (blocked MatMul + TopK over a resident reference set) and a pred-probs mode.
 */
package io.oddball.detector.knn;
