/**
 * Pictures of a detector at work: {@link io.oddball.runtime.report.ReportWriter} writes the self-contained HTML report
 * of {@code oddball report} (and of the demo), {@link io.oddball.runtime.report.PerturbationExperiment} runs Alibi's
 * perturbation experiment of {@code oddball perturb} with {@link io.oddball.runtime.report.MaskNoise} (Alibi's
 * {@code apply_mask}), {@link io.oddball.runtime.report.FeatureMapWriter} draws the per-value maps and samples of
 * {@code oddball maps} and {@code oddball sample}, and {@link io.oddball.runtime.report.Charts} draws the charts with
 * XChart, headless. The services and their option and result records are the stable entry points; the HTML layout
 * and the pictures' layout may change.
 */
package io.oddball.runtime.report;
