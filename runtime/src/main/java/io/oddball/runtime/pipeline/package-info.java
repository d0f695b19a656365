/**
 * The pipeline engine behind {@link io.oddball.runtime.Oddball}: {@link io.oddball.runtime.pipeline.PipelineParser}
 * reads and checks a YAML pipeline without opening a native resource, {@link
 * io.oddball.runtime.pipeline.PipelineAssembler} makes its detector and embed stage and reports every problem at once,
 * {@link io.oddball.runtime.pipeline.PipelineFitter} fits it into a {@link io.oddball.runtime.pipeline.Pipeline} (the
 * fitted detector with its preprocessing, embed stage, scorer and threshold: {@code predict} and scoring),
 * {@link io.oddball.runtime.pipeline.Evaluator} infers thresholds and measures it, and
 * {@link io.oddball.runtime.pipeline.DetectorStore} saves and loads it as a detector folder
 * ({@link io.oddball.runtime.pipeline.DetectorFolder}). The classes named here and their records are the stable entry
 * points; the others are implementation details.
 */
package io.oddball.runtime.pipeline;
