/**
 * Oddball's own TensorFlow ops: fused CPU kernels from a small native library loaded into TensorFlow at run time
 * ({@link io.oddball.tf.ops.FusedOps}), each with a stock-op fallback that computes the same values.
 */
package io.oddball.tf.ops;
