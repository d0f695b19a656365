/**
 * {@code oddball serve}: saved detectors behind the Open Inference Protocol (KServe V2) over REST (Jetty core
 * handlers) and gRPC (grpc-java), with per-model dynamic batching, a bounded queue answering 503 when full, and
 * Prometheus metrics. {@link io.oddball.server.OddballServer} is the entry point; {@link io.oddball.server.Tensor},
 * {@link io.oddball.server.InferRequest} and {@link io.oddball.server.InferResponse} are the engine-neutral request
 * model both front doors translate to and from.
 */
package io.oddball.server;
