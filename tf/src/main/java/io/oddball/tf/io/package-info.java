/**
 * Model files: NumPy {@code .npy} arrays ({@link io.oddball.tf.io.Npy}) and TensorFlow SavedModels of inference
 * graphs, exported and loaded, run in bounded batches ({@link io.oddball.tf.io.InferenceModel}).
 */
package io.oddball.tf.io;
