/**
 * Graph-mode model building blocks: layers described as plain Java values ({@link io.oddball.tf.layers.Dense},
 * {@link io.oddball.tf.layers.Conv2D}, {@link io.oddball.tf.layers.Conv2DTranspose},
 * {@link io.oddball.tf.layers.Flatten}, {@link io.oddball.tf.layers.Reshape}) composed into a
 * {@link io.oddball.tf.layers.Sequential}, their weights as plain arrays ({@link io.oddball.tf.layers.Weights},
 * seeded Glorot/He {@link io.oddball.tf.layers.Initializer}s) and as the graph variables of one model
 * ({@link io.oddball.tf.layers.ModelVariables}). A description builds into any graph, so the same model is built
 * once for training and once, frozen to its trained weights, for inference. Shapes are channels last (NHWC).
 */
package io.oddball.tf.layers;
