/**
 * An example detector plugin, {@code zscore}: each feature's squared z-score against the training data, computed in
 * TensorFlow through Oddball's toolkit ({@code io.oddball.tf}). It is {@code docs/adding-a-detector.md} followed to
 * the letter: a provider ({@link com.example.zscore.ZScoreDetectorProvider}), its configuration
 * ({@link com.example.zscore.ZScoreConfig}), the detector ({@link com.example.zscore.ZScoreDetector}), its graph and
 * its saved files; copy the module to start a new detector.
 */
package com.example.zscore;
