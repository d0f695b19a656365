package io.oddball.api;

import java.util.List;

/**
 * An optional capability of a {@link Detector} built on generative models: it draws new instances from one of them
 * ({@code oddball sample}, the report's sample grid), which shows what a model has learnt. A likelihood-ratio detector
 * samples from its {@code semantic} or its {@code background} model. Detectors that cannot sample do not implement
 * it. Since API 1.2.
 */
public interface Sampler {
    /** Names of the models {@link #sample} draws from, in a stable order; the first is the main one. */
    List<String> sampleModels();

    /**
     * Draws {@code n} instances from the model named {@code model}: {@code n × inputShape()} values, row-major, in the
     * detector's input space (the data's units when the pipeline does not preprocess; 8-bit pixel values for
     * {@code llr}). The same seed gives the same instances. Long sampling reports progress and checks for a stop
     * request through the detector's {@link DetectorContext}.
     *
     * @throws IllegalArgumentException when {@code model} is not one of {@link #sampleModels()} (the message names
     *     them) or {@code n < 1}
     * @throws IllegalStateException when the detector is not fitted or is closed
     */
    float[] sample(String model, int n, long seed);
}
