package io.oddball.server;

/**
 * How {@code oddball serve} listens and batches. Ports 0 pick free ports (tests); a negative port turns that front
 * door off.
 *
 * @param host the address to listen on ({@code 0.0.0.0}: every interface)
 * @param httpPort REST (Open Inference Protocol v2 over HTTP/JSON)
 * @param grpcPort gRPC ({@code inference.GRPCInferenceService})
 * @param metricsPort Prometheus metrics ({@code /metrics})
 * @param maxBatchSize rows scored together at most (requests are merged up to this)
 * @param maxDelayMs how long the first request of a batch waits for others (0: only those already queued)
 * @param maxQueue requests waiting per model at most; more get 503 with {@code Retry-After}
 * @param maxRequestBytes largest request body (REST) or message (gRPC); larger ones get 400
 * @param requestTimeoutMs a request not answered in this time gets 503
 * @param accessLog one SLF4J line per request (logger {@code io.oddball.server.access})
 * @param drainTimeoutMs on shutdown, how long requests in flight may take to finish
 */
public record ServerSettings(String host, int httpPort, int grpcPort, int metricsPort, int maxBatchSize,
        double maxDelayMs, int maxQueue, int maxRequestBytes, long requestTimeoutMs, boolean accessLog,
        long drainTimeoutMs) {
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_GRPC_PORT = 8081;
    public static final int DEFAULT_METRICS_PORT = 8082;
    public static final int DEFAULT_MAX_BATCH_SIZE = 64;
    public static final double DEFAULT_MAX_DELAY_MS = 1;
    public static final int DEFAULT_MAX_QUEUE = 256;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 64 << 20;
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

    public ServerSettings {
        java.util.Objects.requireNonNull(host, "host is null");
        if (maxBatchSize < 1 || maxQueue < 1 || maxRequestBytes < 1 || requestTimeoutMs < 1 || maxDelayMs < 0
                || !Double.isFinite(maxDelayMs) || drainTimeoutMs < 0) {
            throw new IllegalArgumentException("settings out of range: " + this);
        }
    }

    /** The defaults: every interface, ports 8080 (REST), 8081 (gRPC), 8082 (metrics). */
    public static ServerSettings defaults() {
        return new ServerSettings("0.0.0.0", DEFAULT_HTTP_PORT, DEFAULT_GRPC_PORT, DEFAULT_METRICS_PORT,
                DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_DELAY_MS, DEFAULT_MAX_QUEUE, DEFAULT_MAX_REQUEST_BYTES,
                DEFAULT_REQUEST_TIMEOUT_MS, false, DEFAULT_DRAIN_TIMEOUT_MS);
    }

    /** Loopback, every port picked free: for tests. */
    public static ServerSettings ephemeral() {
        return defaults().withHost("127.0.0.1").withPorts(0, 0, 0);
    }

    public ServerSettings withHost(String h) {
        return new ServerSettings(h, httpPort, grpcPort, metricsPort, maxBatchSize, maxDelayMs, maxQueue,
                maxRequestBytes, requestTimeoutMs, accessLog, drainTimeoutMs);
    }

    public ServerSettings withPorts(int http, int grpc, int metrics) {
        return new ServerSettings(host, http, grpc, metrics, maxBatchSize, maxDelayMs, maxQueue, maxRequestBytes,
                requestTimeoutMs, accessLog, drainTimeoutMs);
    }

    public ServerSettings withBatching(int batchSize, double delayMs, int queue) {
        return new ServerSettings(host, httpPort, grpcPort, metricsPort, batchSize, delayMs, queue, maxRequestBytes,
                requestTimeoutMs, accessLog, drainTimeoutMs);
    }

    public ServerSettings withLimits(int requestBytes, long timeoutMs) {
        return new ServerSettings(host, httpPort, grpcPort, metricsPort, maxBatchSize, maxDelayMs, maxQueue,
                requestBytes, timeoutMs, accessLog, drainTimeoutMs);
    }

    public ServerSettings withAccessLog(boolean on) {
        return new ServerSettings(host, httpPort, grpcPort, metricsPort, maxBatchSize, maxDelayMs, maxQueue,
                maxRequestBytes, requestTimeoutMs, on, drainTimeoutMs);
    }

    public ServerSettings withDrainTimeout(long ms) {
        return new ServerSettings(host, httpPort, grpcPort, metricsPort, maxBatchSize, maxDelayMs, maxQueue,
                maxRequestBytes, requestTimeoutMs, accessLog, ms);
    }
}
