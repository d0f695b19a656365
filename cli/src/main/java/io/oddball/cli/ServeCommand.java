package io.oddball.cli;

import io.oddball.api.error.ConfigException;
import io.oddball.runtime.progress.StopSignal;
import io.oddball.server.ModelSpec;
import io.oddball.server.OddballServer;
import io.oddball.server.ServerSettings;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code oddball serve DIR [NAME=DIR ...]}: saved detectors behind the Open Inference Protocol (KServe V2) over REST
 * and gRPC, with Prometheus metrics, until SIGTERM or Ctrl-C (then requests in flight are answered first).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve saved detectors with the Open Inference Protocol (KServe V2) over REST and gRPC, with "
                + "dynamic batching and Prometheus metrics, until SIGTERM or Ctrl-C (requests in flight are "
                + "answered first).",
            "REST: GET /v2/health/live, /v2/health/ready, /v2, /v2/models/NAME[/versions/1][/ready]; "
                + "POST /v2/models/NAME[/versions/1]/infer. Outputs instance_score, is_outlier and, when asked, "
                + "feature_score."})
final class ServeCommand extends OddballSubcommand {
    @Parameters(arity = "1..*", paramLabel = "DIR|NAME=DIR",
            description = "Saved detectors (from 'oddball fit'), served under their folder's name or NAME.")
    private List<String> models;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}, "
            + "every interface).")
    private String host = "0.0.0.0";

    @Option(names = "--http-port", paramLabel = "PORT", description = "REST port (default: ${DEFAULT-VALUE}; 0: a "
            + "free port; -1: no REST).")
    private int httpPort = ServerSettings.DEFAULT_HTTP_PORT;

    @Option(names = "--grpc-port", paramLabel = "PORT", description = "gRPC port (default: ${DEFAULT-VALUE}; 0: a "
            + "free port; -1: no gRPC).")
    private int grpcPort = ServerSettings.DEFAULT_GRPC_PORT;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Prometheus /metrics port (default: "
            + "${DEFAULT-VALUE}; 0: a free port; -1: none).")
    private int metricsPort = ServerSettings.DEFAULT_METRICS_PORT;

    @Option(names = "--max-batch-size", paramLabel = "ROWS", description = "Rows scored together at most: concurrent "
            + "requests to one model are merged up to this (default: ${DEFAULT-VALUE}).")
    private int maxBatchSize = ServerSettings.DEFAULT_MAX_BATCH_SIZE;

    @Option(names = "--max-delay-ms", paramLabel = "MS", description = "How long a batch's first request waits for "
            + "others (default: ${DEFAULT-VALUE}; 0: only those already queued).")
    private double maxDelayMs = ServerSettings.DEFAULT_MAX_DELAY_MS;

    @Option(names = "--max-queue", paramLabel = "REQUESTS", description = "Requests waiting per model at most; more "
            + "get 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    private int maxQueue = ServerSettings.DEFAULT_MAX_QUEUE;

    @Option(names = "--max-request-bytes", paramLabel = "BYTES", description = "Largest request body or gRPC "
            + "message; larger get 400 (default: ${DEFAULT-VALUE}).")
    private int maxRequestBytes = ServerSettings.DEFAULT_MAX_REQUEST_BYTES;

    @Option(names = "--request-timeout-ms", paramLabel = "MS", description = "A request not answered in this time "
            + "gets 503 (default: ${DEFAULT-VALUE}).")
    private long requestTimeoutMs = ServerSettings.DEFAULT_REQUEST_TIMEOUT_MS;

    @Option(names = "--drain-timeout-ms", paramLabel = "MS", description = "On shutdown, how long requests in flight "
            + "may take to finish (default: ${DEFAULT-VALUE}).")
    private long drainTimeoutMs = ServerSettings.DEFAULT_DRAIN_TIMEOUT_MS;

    @Option(names = "--access-log", description = "Log one line per request (SLF4J logger io.oddball.server.access).")
    private boolean accessLog;

    @Override
    public Integer call() throws InterruptedException {
        ServerSettings settings = settings();
        List<ModelSpec> specs = ModelSpec.parseAll(models);
        PrintWriter out = stdout();
        PrintWriter err = stderr();
        OddballServer server = OddballServer.start(root.oddball(), root.context(), specs, settings);
        Thread hook = new Thread(server::close, "oddball-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String shown = host.equals("0.0.0.0") ? "localhost" : host;
        out.println("oddball serve: loading " + specs.size() + " detector" + (specs.size() == 1 ? "" : "s")
                + (server.httpPort() >= 0 ? "; REST on http://" + shown + ":" + server.httpPort() + "/v2" : "")
                + (server.grpcPort() >= 0 ? "; gRPC on " + shown + ":" + server.grpcPort() : "")
                + (server.metricsPort() >= 0 ? "; metrics on http://" + shown + ":" + server.metricsPort()
                        + "/metrics" : ""));
        out.flush();
        Map<String, String> failures = server.awaitLoaded();
        for (ModelSpec s : specs) {
            String why = failures.get(s.name());
            if (why != null) {
                err.println("oddball serve: model '" + s.name() + "' (" + s.dir() + ") failed to load: " + why);
            }
        }
        err.flush();
        if (failures.size() == specs.size()) {
            server.close();
            removeHook(hook);
            err.println("oddball serve: no detector loaded; stopped");
            return ExitCodes.FAILURE;
        }
        out.println("oddball serve: ready, serving " + specs.stream().map(ModelSpec::name)
                .filter(n -> !failures.containsKey(n)).toList() + " (SIGTERM or Ctrl-C stops)");
        out.flush();
        // Ctrl-C raises the CLI's stop flag (Main), SIGTERM runs the shutdown hook: both close gracefully
        while (!StopSignal.requested()) {
            if (server.awaitTermination(200)) {
                return ExitCodes.OK;
            }
        }
        server.close();
        removeHook(hook);
        out.println("oddball serve: stopped");
        return ExitCodes.OK;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already
        }
    }

    private ServerSettings settings() {
        String[][] checks = {{"--max-batch-size", Integer.toString(maxBatchSize)},
            {"--max-queue", Integer.toString(maxQueue)}, {"--max-request-bytes", Integer.toString(maxRequestBytes)},
            {"--request-timeout-ms", Long.toString(requestTimeoutMs)}};
        for (String[] c : checks) {
            if (Long.parseLong(c[1]) < 1) {
                throw new ConfigException(c[0] + ": expected a whole number >= 1, found " + c[1]);
            }
        }
        if (!(maxDelayMs >= 0) || Double.isInfinite(maxDelayMs)) {
            throw new ConfigException("--max-delay-ms: expected a number >= 0, found " + maxDelayMs);
        }
        if (drainTimeoutMs < 0) {
            throw new ConfigException("--drain-timeout-ms: expected a whole number >= 0, found " + drainTimeoutMs);
        }
        for (int p : new int[] {httpPort, grpcPort, metricsPort}) {
            if (p < -1 || p > 65535) {
                throw new ConfigException("ports: expected 0..65535 (0: a free port) or -1 (off), found " + p);
            }
        }
        return new ServerSettings(host, httpPort, grpcPort, metricsPort, maxBatchSize, maxDelayMs, maxQueue,
                maxRequestBytes, requestTimeoutMs, accessLog, drainTimeoutMs);
    }
}
