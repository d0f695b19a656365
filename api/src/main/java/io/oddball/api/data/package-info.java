/** Data exchanged with detectors: shapes, batches, streamed datasets and the reader SPI. Stable. */
package io.oddball.api.data;
