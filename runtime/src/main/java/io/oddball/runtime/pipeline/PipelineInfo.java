package io.oddball.runtime.pipeline;

/**
 * Provenance of a fitted pipeline, written to {@code detector.yaml}: what it was trained on and when.
 *
 * @param trainData name (path) of the training data
 * @param trainInstances number of training instances
 * @param fingerprint {@code sha256:} of the training values as the detector saw them (after preprocessing)
 * @param created ISO-8601 time of fitting
 * @param thresholdData name of the data the threshold was inferred on
 */
public record PipelineInfo(String trainData, long trainInstances, String fingerprint, String created,
        String thresholdData) {

    /** The same with another threshold data name. */
    public PipelineInfo withThresholdData(String name) {
        return new PipelineInfo(trainData, trainInstances, fingerprint, created, name);
    }
}
