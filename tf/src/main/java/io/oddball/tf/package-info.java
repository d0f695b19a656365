/**
 * TensorFlow Java building blocks shared by Oddball's detectors: graph-mode sessions with the project's thread and
 * placement settings ({@link io.oddball.tf.Sessions}), device placement from a detector context
 * ({@link io.oddball.tf.Devices}) and closing-disciplined conversion between Java arrays and tensors
 * ({@link io.oddball.tf.Tensors}). Sub-packages: {@code layers} (model building), {@code autoencoder} (the
 * base of the autoencoder detectors), {@code train} (Adam, training loop),
 * {@code io} (SavedModel inference models, {@code .npy}). No dependency injection, no global state.
 */
package io.oddball.tf;
