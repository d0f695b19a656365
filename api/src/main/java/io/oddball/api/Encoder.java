package io.oddball.api;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;

/**
 * A fitted detector that can also map an instance to a latent code: the encoder of an autoencoder (the mean of a
 * variational autoencoder's latent distribution). A pipeline's {@code embed: {detector: DIR}} stage uses it to feed
 * another detector (e.g. KNN) with codes instead of raw values. Detectors implement it optionally.
 *
 * <p>Thread-safe: {@link #encode} may be called from many threads once the detector is fitted or loaded.
 */
public interface Encoder {
    /** Shape of one instance's code, e.g. {@code [64]}; null before fitting. */
    Shape codeShape();

    /**
     * The codes of a batch (already in the detector's input space: preprocessed as at fit time), row-major, {@code
     * batch.size() × codeShape().size()} values.
     *
     * @throws io.oddball.api.error.DataException if the instances do not have the detector's input shape
     * @throws io.oddball.api.error.ModelFormatException if the fitted model cannot encode (saved without an encoder)
     */
    float[] encode(Batch batch);
}
