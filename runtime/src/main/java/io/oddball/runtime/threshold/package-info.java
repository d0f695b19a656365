/**
 * Built-in {@link io.oddball.api.ThresholdStrategy}s (YAML {@code threshold.type}): {@code fixed}, {@code percentile}
 * (Alibi's {@code infer_threshold}), {@code contamination} (PyOD), {@code target-fpr} and {@code best-f1}; and
 * {@link io.oddball.runtime.threshold.Percentiles}, numpy's {@code percentile}. Every strategy is an immutable record,
 * thread-safe. The type names and parameters are stable; the classes are runtime internals.
 */
package io.oddball.runtime.threshold;
