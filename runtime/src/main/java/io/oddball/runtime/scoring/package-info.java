/**
 * Built-in {@link io.oddball.api.Scorer}s, which turn one instance's feature scores into its instance score: Alibi
 * Detect's {@code outlier_perc} rule ({@code top-percent}), {@code mean}, {@code max} and {@code sum}; and
 * {@link io.oddball.runtime.scoring.BuiltInProvider} and {@link io.oddball.runtime.scoring.NumberRange}, shared by the
 * runtime's built-in scorer and threshold providers. The YAML type names and parameters are stable; the classes are
 * runtime internals.
 */
package io.oddball.runtime.scoring;
