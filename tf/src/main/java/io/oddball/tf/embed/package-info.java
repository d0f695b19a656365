/**
 * Embedding stages backed by TensorFlow: {@code saved-model} runs any TensorFlow SavedModel (a user's ResNet exported
 * from Python, an Oddball autoencoder's {@code embedding} output) over a pipeline's instances. Registered for
 * {@link java.util.ServiceLoader} as {@link io.oddball.api.EmbedderProvider}s; not an API of its own.
 */
package io.oddball.tf.embed;
