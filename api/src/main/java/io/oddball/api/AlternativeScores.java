package io.oddball.api;

import io.oddball.api.data.Batch;
import java.util.Map;

/**
 * An optional capability of a {@link Detector} that can score instances in more than one way: named instance scores
 * besides the main one (higher = more outlying), which reports compare with the main score on one ROC and one
 * precision-recall chart. A likelihood-ratio detector, for example, gives its plain likelihood score here
 * ({@code "likelihood"}) so the report shows LLR against likelihood. Detectors with one score do not implement it.
 */
public interface AlternativeScores {
    /**
     * Alternative instance scores of {@code batch} (already preprocessed, as {@link Detector#score} takes it): each
     * entry maps a short name to one score per instance, in a stable order. Must be safe to call from several
     * threads after fitting or loading.
     */
    Map<String, float[]> alternativeScores(Batch batch);

    /**
     * The name of the detector's own instance score among its scores (e.g. {@code "combined"}), which commands show
     * beside the alternatives; null when it has none (the default, so detectors written before it are unaffected).
     */
    default String scoreName() {
        return null;
    }
}
