/** The {@code llr} detector: likelihood ratio of two PixelCNN++ models (Ren et al. 2019). */
package io.oddball.detector.llr;
