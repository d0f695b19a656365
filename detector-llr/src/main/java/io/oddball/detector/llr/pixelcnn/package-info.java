/**
 * PixelCNN++ (Salimans et al. 2017), the model of both halves of the likelihood ratio: the network as a TensorFlow
 * graph ({@link io.oddball.detector.llr.pixelcnn.PixelCnn}), its hyper-parameters
 * ({@link io.oddball.detector.llr.pixelcnn.PixelCnnSpec}) and the discretised logistic mixture it predicts
 * ({@link io.oddball.detector.llr.pixelcnn.DiscretizedLogistic}). Built on the layers of the {@code tf} module; used
 * by the {@code llr} detector and its benchmarks.
 */
package io.oddball.detector.llr.pixelcnn;
