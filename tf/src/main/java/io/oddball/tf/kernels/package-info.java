/**
 * The kernels graphs are built with: TensorFlow's stock ops or the fused ops of an optional native op library
 * ({@link io.oddball.tf.kernels.Kernels}, chosen by the graph's {@link io.oddball.tf.TfOptions}), and the provider
 * interface such a library implements ({@link io.oddball.tf.kernels.OpLibrary}; Oddball's own is the {@code tf-ops}
 * module). Without a library on the class path every graph runs on the stock ops, computing the same values.
 */
package io.oddball.tf.kernels;
