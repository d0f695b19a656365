package io.oddball.tf.autoencoder;

import io.oddball.api.data.Shape;

/** A built network as a fitted detector sees it: the shape of one input instance and its size. */
public interface Network {
    /** Shape of one input instance. */
    Shape input();

    /** Number of trainable values. */
    long parameterCount();
}
