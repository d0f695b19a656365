/**
 * Oddball's own TensorFlow op library: fused CPU kernels from a small native library loaded into TensorFlow at run
 * time ({@link io.oddball.tf.ops.FusedOps}), the {@link io.oddball.tf.kernels.OpLibrary} that
 * {@link io.oddball.tf.kernels.Kernels} uses where the options ask for it; the stock ops compute the same values.
 */
package io.oddball.tf.ops;
