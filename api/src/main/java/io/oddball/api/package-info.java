/**
 * Oddball's stable SPI: {@link io.oddball.api.Detector} and its {@link io.oddball.api.DetectorProvider},
 * {@link io.oddball.api.Scorer}, {@link io.oddball.api.ThresholdStrategy}, {@link io.oddball.api.Embedder}, their
 * providers (found through {@link java.util.ServiceLoader}), the optional capabilities of detectors
 * ({@link io.oddball.api.Encoder}, {@link io.oddball.api.Reconstructor}, {@link io.oddball.api.AlternativeScores},
 * {@link io.oddball.api.FeatureMaps}, {@link io.oddball.api.Sampler}), and {@link io.oddball.api.Params}. No
 * TensorFlow, Guice or YAML types appear here; the package grows only by new types and default methods within a
 * major version.
 */
package io.oddball.api;
