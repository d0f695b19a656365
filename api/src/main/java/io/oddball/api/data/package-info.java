/**
 * Data exchanged with detectors: shapes, batches, streamed datasets and the reader SPI, and NumPy {@code .npy}
 * arrays ({@link io.oddball.api.data.Npy}: the header parser the runtime's readers share, and the model arrays
 * detectors save). Stable.
 */
package io.oddball.api.data;
