/**
 * Model files: TensorFlow SavedModels of inference graphs, exported and loaded, run in bounded batches
 * ({@link io.oddball.tf.io.InferenceModel}), users' SavedModels named in YAML, detectors' small {@code .properties}
 * state files and folder-tree copies. NumPy {@code .npy} arrays are read and written by
 * {@link io.oddball.api.data.Npy}.
 */
package io.oddball.tf.io;
