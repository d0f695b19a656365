/**
 * Encoder–decoder networks shared by the autoencoder detectors ({@code ae}, {@code vae}): the architectures by YAML
 * name ({@link io.oddball.tf.nets.Architecture}), their parameters read from a detector's YAML block
 * ({@link io.oddball.tf.nets.NetworkSpec}) and the layer stacks for one instance shape
 * ({@link io.oddball.tf.nets.EncoderDecoder}).
 */
package io.oddball.tf.nets;
