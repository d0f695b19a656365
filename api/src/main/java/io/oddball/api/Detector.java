package io.oddball.api;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.result.Scores;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fitted (or to-be-fitted) outlier detector: the detector-specific part only. It learns what normal data looks like
 * in {@link #fit} and scores new instances in {@link #score}, higher meaning more outlying. Thresholds, instance
 * scores from feature scores, {@code predict} and {@code inferThreshold} are written once in the runtime on top of
 * this interface (see {@link Scorer} and {@link ThresholdStrategy}).
 *
 * <p>A detector owns native resources (TensorFlow graphs and sessions): close it. After {@link #fit} (or after
 * loading), {@link #score} must be safe to call from several threads at once.
 */
public interface Detector extends AutoCloseable {
    /** The provider's name, e.g. {@code knn}. */
    String name();

    /** Shape of one instance this detector was fitted on; null before fitting. */
    Shape inputShape();

    /** Whether {@link #score} gives per-feature scores (AE, VAE, LLR) or only instance scores (KNN). */
    boolean hasFeatureScores();

    /**
     * Trains on normal data, streamed in batches. Deterministic for a fixed {@link FitOptions#seed()} on one
     * machine. Stops early, keeping its best state, when {@link DetectorContext#stopRequested()} turns true.
     */
    void fit(Dataset data, FitOptions options);

    /**
     * Fits on {@code data} and returns the scores of that same data as the fit sees it. The default scores the data
     * after fitting; a detector whose training scores differ (KNN excludes each point from its own neighbours)
     * overrides it.
     */
    default Scores fitScore(Dataset data, FitOptions options) {
        fit(data, options);
        return scoreAll(data, options.batchSize());
    }

    /** Scores every batch of {@code data} ({@link #score}); holds every score, not the data. */
    default Scores scoreAll(Dataset data, int batchSize) {
        java.util.List<Scores> parts = new java.util.ArrayList<>();
        try (io.oddball.api.data.BatchIterator it = data.batches(batchSize)) {
            while (it.hasNext()) {
                parts.add(score(it.next()));
            }
        }
        return Scores.concat(parts);
    }

    /** Scores one batch (instance shape must equal {@link #inputShape()}). */
    Scores score(Batch batch);

    /** Hyper-parameters as written to {@code detector.yaml} and given back to {@link DetectorProvider#load}. */
    Map<String, Object> hyperParameters();

    /**
     * Writes the fitted model into {@code modelDir}, an existing empty directory. The runtime makes the write atomic
     * (temp directory then rename) and writes {@code detector.yaml} beside it.
     */
    void save(Path modelDir);

    /** Frees native resources; later calls fail. */
    @Override
    void close();
}
