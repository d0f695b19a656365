package io.oddball.tf.autoencoder;

import io.oddball.api.data.Shape;
import io.oddball.tf.layers.WeightSpec;
import java.util.List;

/** A built network as a fitted detector sees it: the shape of one input instance, its weights and their size. */
public interface Network {
    /** Shape of one input instance. */
    Shape input();

    /** Every weight, in model order. */
    List<WeightSpec> weights();

    /** Number of trainable values. */
    default long parameterCount() {
        long n = 0;
        for (WeightSpec w : weights()) {
            n += w.shape().size();
        }
        return n;
    }
}
