/** File formats for model arrays and test fixtures: NumPy {@code .npy} ({@link io.oddball.tf.io.Npy}). */
package io.oddball.tf.io;
