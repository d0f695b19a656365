/**
 * Pictures of a detector at work (the {@code oddball-report} module, over the runtime; the only module that draws
 * with XChart): {@link io.oddball.report.ReportWriter} writes the self-contained HTML report of {@code oddball report}
 * (and of the demo), {@link io.oddball.report.PerturbationExperiment} runs Alibi's perturbation experiment of
 * {@code oddball perturb} with {@link io.oddball.report.MaskNoise} (Alibi's {@code apply_mask}),
 * {@link io.oddball.report.FeatureMapWriter} draws the per-value maps and samples of {@code oddball maps} and
 * {@code oddball sample}, and {@link io.oddball.report.Charts} draws the charts with XChart, headless. The services
 * and their option and result records are the stable entry points; the HTML layout and the pictures' layout may
 * change.
 */
package io.oddball.report;
