package io.oddball.runtime.pipeline;

import io.oddball.api.Detector;
import io.oddball.api.DetectorProvider;
import io.oddball.api.FitOptions;
import io.oddball.api.Scorer;
import io.oddball.api.ThresholdStrategy;
import io.oddball.api.data.Dataset;

/**
 * A pipeline read from YAML, checked and ready to fit ({@link PipelineAssembler}): its detector and embed stage are
 * made (unfitted), nothing has been trained or written yet. Fitting hands the detector and the embed stage to the
 * fitted {@link Pipeline}, which closes them.
 */
public record PipelineSpec(java.nio.file.Path file, DetectorProvider provider, Detector detector, FitOptions fit,
        Dataset train, Preprocessor preprocessor, ComponentSpec scorerSpec, Scorer scorer,
        ComponentSpec thresholdSpec, ThresholdStrategy threshold, Dataset thresholdData, Dataset evaluateIn,
        Dataset evaluateOod, EmbedStage embed) {
    /** Whether the pipeline names data to evaluate on ({@code evaluate: {in: ..., ood: ...}}). */
    public boolean hasEvaluation() {
        return evaluateIn != null && evaluateOod != null;
    }
}
