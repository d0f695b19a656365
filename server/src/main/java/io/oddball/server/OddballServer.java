package io.oddball.server;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code oddball serve}: saved detectors behind the Open Inference Protocol (KServe V2) over REST and gRPC, with
 * Prometheus metrics. {@link #start} listens at once (live, not ready) and loads the detectors in the background;
 * the server is ready when every detector has been tried and one serves. {@link #close} shuts down gracefully: new
 * requests get 503, those in flight are answered (up to the drain timeout), then everything stops.
 */
public final class OddballServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OddballServer.class);

    private final ServerSettings settings;
    private final ServerMetrics metrics;
    private final ModelRepository repository;
    private final InferenceService service;
    private final CompletableFuture<Map<String, String>> loaded = new CompletableFuture<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private org.eclipse.jetty.server.Server jetty;
    private Server grpc;
    private volatile boolean closed;

    private OddballServer(Oddball oddball, RuntimeContext context, List<ModelSpec> models, ServerSettings settings) {
        this.settings = settings;
        this.metrics = new ServerMetrics();
        this.repository = new ModelRepository(oddball, context, models, settings, metrics);
        this.service = new InferenceService(repository, settings);
    }

    /** Starts listening on the settings' ports and loads {@code models} in the background. */
    public static OddballServer start(Oddball oddball, RuntimeContext context, List<ModelSpec> models,
            ServerSettings settings) {
        OddballServer s = new OddballServer(oddball, context, models, settings);
        try {
            s.listen();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        Thread loader = new Thread(() -> {
            try {
                s.loaded.complete(s.repository.loadAll());
            } catch (RuntimeException | Error e) {
                s.loaded.completeExceptionally(e);
            }
        }, "oddball-model-loader");
        loader.setDaemon(true);
        loader.start();
        return s;
    }

    private void listen() {
        if (settings.metricsPort() >= 0) {
            metrics.start(settings.host(), settings.metricsPort());
        }
        if (settings.httpPort() >= 0) {
            QueuedThreadPool pool = new QueuedThreadPool(64, 4);
            pool.setName("oddball-http");
            jetty = new org.eclipse.jetty.server.Server(pool);
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost(settings.host());
            connector.setPort(settings.httpPort());
            jetty.addConnector(connector);
            jetty.setHandler(new RestHandler(service, settings, metrics));
            jetty.setStopTimeout(settings.drainTimeoutMs());
            try {
                jetty.start();
            } catch (Exception e) {
                throw new UncheckedIOException(new IOException("REST: cannot listen on " + settings.host() + ":"
                        + settings.httpPort() + ": " + e.getMessage(), e));
            }
        }
        if (settings.grpcPort() >= 0) {
            try {
                // directExecutor: the calls run on Netty's event loop, no hand-off to a pool per call; none blocks
                // (an inference parses its request and queues it with the model's batcher, the answer is sent from
                // the thread that completes it)
                grpc = NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.grpcPort()))
                        .directExecutor().addService(new GrpcService(service, settings, metrics))
                        .maxInboundMessageSize(settings.maxRequestBytes()).build().start();
            } catch (IOException e) {
                throw new UncheckedIOException("gRPC: cannot listen on " + settings.host() + ":"
                        + settings.grpcPort() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Waits until every detector has been tried; returns the failures (name to one line). */
    public Map<String, String> awaitLoaded() {
        return loaded.join();
    }

    public int httpPort() {
        return jetty == null ? -1 : ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public int grpcPort() {
        return grpc == null ? -1 : grpc.getPort();
    }

    public int metricsPort() {
        return metrics.port();
    }

    public ServerSettings settings() {
        return settings;
    }

    public InferenceService service() {
        return service;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Waits at most {@code millis} for {@link #close} to finish; true if it has. */
    public boolean awaitTermination(long millis) throws InterruptedException {
        return terminated.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Graceful shutdown: not ready and 503 for new requests, then waits for those in flight (at most the drain
     * timeout), stops REST, gRPC and metrics and frees the detectors.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        service.stopAccepting();
        try {
            if (!service.awaitIdle(settings.drainTimeoutMs())) {
                LOG.warn("shutdown: {} requests still in flight after {} ms; stopping anyway", service.inFlight(),
                        settings.drainTimeoutMs());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (jetty != null) {
                jetty.stop();
            }
        } catch (Exception e) {
            LOG.warn("stopping REST: {}", e.toString());
        }
        if (grpc != null) {
            grpc.shutdown();
            try {
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            grpc.shutdownNow();
        }
        loaded.join();
        repository.close();
        service.close();
        metrics.close();
        terminated.countDown();
    }
}
