package io.oddball.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The server's Prometheus metrics, in a registry of its own (several servers may run in one JVM):
 * {@code oddball_requests_total{model,protocol,status}}, {@code oddball_request_duration_seconds{model,protocol}},
 * {@code oddball_batch_size{model}} (rows per pipeline call) and {@code oddball_queue_depth{model}}.
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("oddball_requests_total")
            .help("Inference and metadata requests by model, protocol (rest, grpc) and status (HTTP code)")
            .labelNames("model", "protocol", "status").register(registry);
    private final Histogram latency = Histogram.builder().name("oddball_request_duration_seconds")
            .help("Time from a request's arrival to its answer").labelNames("model", "protocol").classicOnly()
            .classicUpperBounds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30)
            .register(registry);
    private final Histogram batchSize = Histogram.builder().name("oddball_batch_size")
            .help("Rows scored together in one pipeline call (dynamic batching)").labelNames("model").classicOnly()
            .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024).register(registry);
    private final Gauge queueDepth = Gauge.builder().name("oddball_queue_depth")
            .help("Requests waiting to be batched, per model").labelNames("model").register(registry);
    private HTTPServer http;

    /** Starts the {@code /metrics} endpoint on {@code host:port} (0: a free port). */
    public void start(String host, int port) {
        try {
            http = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException("metrics: cannot listen on " + host + ":" + port + ": " + e.getMessage(),
                    e);
        }
    }

    /** The metrics port, or -1 when not started. */
    public int port() {
        return http == null ? -1 : http.getPort();
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    void request(String model, String protocol, int status, long startNanos) {
        String m = model == null ? "" : model;
        requests.labelValues(m, protocol, Integer.toString(status)).inc();
        latency.labelValues(m, protocol).observe((System.nanoTime() - startNanos) / 1e9);
    }

    void batchSize(String model, int rows) {
        batchSize.labelValues(model).observe(rows);
    }

    void queueDepth(String model, int depth) {
        queueDepth.labelValues(model).set(depth);
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
            http = null;
        }
    }
}
