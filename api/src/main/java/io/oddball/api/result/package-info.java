/** Results detectors and the runtime hand back: scores and predictions. Stable. */
package io.oddball.api.result;
