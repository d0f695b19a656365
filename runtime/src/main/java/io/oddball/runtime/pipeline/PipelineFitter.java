package io.oddball.runtime.pipeline;

import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.Progress;
import io.oddball.api.error.OddballException;
import io.oddball.api.result.Scores;
import io.oddball.runtime.RuntimeContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a {@link PipelineSpec}: trains its detector on the training data (streamed through the preprocessing and the
 * embed stage), then sets the threshold by the pipeline's strategy on the training scores or on
 * {@code threshold.data}.
 */
public final class PipelineFitter {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineFitter.class);

    private PipelineFitter() {
    }

    /**
     * The fitted pipeline, which owns the spec's detector and embed stage; on failure (or when {@code context} asks
     * to stop) they are closed and nothing is returned.
     */
    public static Pipeline fit(PipelineSpec spec, DetectorContext context) {
        Detector detector = spec.detector();
        try {
            LOG.info("fitting '{}' on {} (instances of shape {})", spec.provider().name(), spec.train().name(),
                    spec.train().instanceShape());
            TrainingData prepared = new TrainingData(spec.train(), spec.preprocessor(), spec.embed());
            boolean scoresFromTrain = spec.threshold().needsScores() && spec.thresholdData() == null;
            Scores trainScores = Pipeline.withLoader(spec.provider().getClass().getClassLoader(), () -> {
                if (scoresFromTrain) {
                    return detector.fitScore(prepared, spec.fit());
                }
                detector.fit(prepared, spec.fit());
                return null;
            });
            if (context.stopRequested()) {
                throw new OddballException("fit stopped by the user; nothing was saved");
            }
            String now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
            PipelineInfo info = new PipelineInfo(spec.train().name(), prepared.instances(), prepared.fingerprint(),
                    now, null);
            Pipeline pipeline = new Pipeline(detector, spec.provider().version(), spec.preprocessor(), spec.embed(),
                    spec.scorer(), spec.scorerSpec(), spec.thresholdSpec(), Double.NaN, info);
            double threshold;
            String thresholdOn;
            if (!spec.threshold().needsScores()) {
                threshold = spec.threshold().threshold(new float[0], null);
                thresholdOn = null;
            } else if (spec.thresholdData() != null) {
                Pipeline.LabelledScores ls;
                try (Progress progress = RuntimeContext.scoring(context, "threshold data",
                        RuntimeContext.total(spec.thresholdData()))) {
                    ls = pipeline.scoreAll(spec.thresholdData(), spec.fit().batchSize(), context::stopRequested,
                            progress);
                }
                threshold = spec.threshold().threshold(ls.scores(), ls.labels());
                thresholdOn = spec.thresholdData().name();
            } else {
                float[] s = trainScores.hasInstanceScores() ? trainScores.instanceScores()
                        : spec.scorer().instanceScores(trainScores.featureScores(), trainScores.size(),
                                (int) trainScores.featureShape().size());
                threshold = spec.threshold().threshold(s, null);
                thresholdOn = spec.train().name() + " (training scores)";
            }
            pipeline.setThreshold(threshold, spec.thresholdSpec(), info.withThresholdData(thresholdOn));
            LOG.info("threshold {} = {}", spec.thresholdSpec().describe(), threshold);
            return pipeline;
        } catch (RuntimeException | Error e) {
            detector.close();
            if (spec.embed() != null) {
                spec.embed().close();
            }
            throw e;
        }
    }
}
