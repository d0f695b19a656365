package io.oddball.api;

import io.oddball.api.data.Batch;
import java.util.Map;

/**
 * An optional capability of a {@link Detector} that can show how it sees each value of an instance: named maps with
 * one number per value, in the batch's layout. A likelihood-ratio detector gives the log-probability of every value
 * under each of its models and their difference ({@code log_prob_semantic}, {@code log_prob_background},
 * {@code llr}); {@code oddball maps} and the report draw them beside the input. Detectors without such maps do not
 * implement it. Since API 1.2.
 */
public interface FeatureMaps {
    /**
     * The maps of {@code batch} (already preprocessed, as {@link Detector#score} takes it): each entry maps a short
     * name to {@code batch.size() × featuresPerInstance} values laid out as the batch (row-major), in a stable order.
     * Must be safe to call from several threads after fitting or loading.
     *
     * @throws IllegalStateException when the detector is not fitted or is closed
     */
    Map<String, float[]> featureMaps(Batch batch);
}
