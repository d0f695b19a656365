package io.oddball.tf.train;

import java.util.List;

/**
 * What a {@link TrainingLoop} run did.
 *
 * @param loss mean training loss of each completed epoch
 * @param validationLoss mean validation loss of each completed epoch (empty without a validation split)
 * @param bestEpoch 1-based epoch of the lowest monitored loss (validation if any, else training); 0 if none completed
 * @param outcome why training ended
 * @param restoredBest whether the variables were set back to the best epoch's weights
 * @param steps optimiser steps taken
 * @param imagesPerSecond training throughput over all steps (instances per second)
 */
public record TrainingHistory(List<Double> loss, List<Double> validationLoss, int bestEpoch, Outcome outcome,
        boolean restoredBest, long steps, double imagesPerSecond) {
    public TrainingHistory {
        loss = List.copyOf(loss);
        validationLoss = List.copyOf(validationLoss);
    }

    /** Why training ended. */
    public enum Outcome {
        /** All epochs ran. */
        COMPLETED,
        /** The monitored loss did not improve for {@code earlyStoppingPatience} epochs. */
        EARLY_STOPPED,
        /** The context asked to stop (Ctrl-C) or the thread was interrupted. */
        STOP_REQUESTED,
        /** The loss became NaN or infinite. */
        DIVERGED
    }

    /** Epochs completed. */
    public int epochs() {
        return loss.size();
    }
}
