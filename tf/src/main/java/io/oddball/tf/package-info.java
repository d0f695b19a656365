/**
 * TensorFlow Java building blocks shared by Oddball's detectors: graph-mode sessions with the project's thread and
 * placement settings ({@link io.oddball.tf.Sessions}), device placement from a detector context
 * ({@link io.oddball.tf.Devices}), closing-disciplined conversion between Java arrays and tensors
 * ({@link io.oddball.tf.Tensors}), and how graphs are built and run ({@link io.oddball.tf.TfOptions}: inference
 * precision, the op library, implementation variants), which a detector reads from its context's settings and hands
 * to everything it builds. Sub-packages: {@code layers} (model building), {@code kernels} (stock ops or an optional
 * op library's fused ones), {@code autoencoder} (the base of the autoencoder detectors), {@code train} (Adam,
 * training loop), {@code io} (SavedModel inference models, {@code .npy}), {@code embed} (the {@code saved-model}
 * embedder). No dependency injection, no global state: options are passed, never looked up.
 */
package io.oddball.tf;
