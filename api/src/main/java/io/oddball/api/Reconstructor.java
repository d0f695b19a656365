package io.oddball.api;

import io.oddball.api.data.Batch;

/**
 * An optional capability of a {@link Detector} that models its input, such as an autoencoder: the model's
 * reconstruction {@code x̂} of each instance. Reports show it beside the input and the feature scores (Alibi Detect's
 * {@code plot_feature_outlier_image}). Detectors without a reconstruction simply do not implement this interface.
 *
 * <p>Like {@link Detector#score}, it takes a batch already through the pipeline's preprocessing (the detector's input
 * space) and must be safe to call from several threads after fitting or loading.
 */
public interface Reconstructor {
    /**
     * The reconstructions of {@code batch}: one instance per input instance, of the same shape, in the detector's
     * input space.
     *
     * @throws IllegalStateException when the detector is not fitted or is closed
     */
    Batch reconstruct(Batch batch);
}
