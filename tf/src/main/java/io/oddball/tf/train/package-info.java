/**
 * Training in graph mode: {@link io.oddball.tf.train.Adam} over the variables of one model (gradients by
 * {@code addGradients}, so a graph may hold models trained separately) and the {@link io.oddball.tf.train.TrainingLoop}
 * (seeded shuffling, validation split, early stopping that keeps the best weights, progress, clean stop).
 */
package io.oddball.tf.train;
