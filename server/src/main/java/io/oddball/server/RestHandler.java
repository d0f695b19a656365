package io.oddball.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol's REST endpoints as one Jetty core handler (no servlets): health, server and model metadata, model
 * readiness and inference, JSON in and out (with the binary tensor data extension). Nothing here blocks: bodies are
 * read asynchronously and the answer is written when the model's batch has been scored.
 */
final class RestHandler extends Handler.Abstract.NonBlocking {
    static final Logger ACCESS = LoggerFactory.getLogger("io.oddball.server.access");
    private static final Pattern MODEL = Pattern.compile(
            "/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?/?");
    private static final String JSON = "application/json";

    private final InferenceService service;
    private final ServerSettings settings;
    private final ServerMetrics metrics;

    RestHandler(InferenceService service, ServerSettings settings, ServerMetrics metrics) {
        this.service = service;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long t0 = System.nanoTime();
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        Exchange x = new Exchange(request, response, callback, t0, path, method);
        try {
            route(x);
        } catch (RuntimeException e) {
            x.fail(InferenceException.of(e));
        }
        return true;
    }

    private void route(Exchange x) {
        String p = x.path;
        if (p.equals("/v2/health/live") || p.equals("/v2/health/ready")) {
            x.requireGet();
            boolean live = p.endsWith("live");
            boolean ok = live ? service.live() : service.ready();
            ObjectNode n = JsonCodec.MAPPER.createObjectNode().put(live ? "live" : "ready", ok);
            x.json(ok ? 200 : 503, JsonCodec.bytes(n));
            return;
        }
        if (p.equals("/v2") || p.equals("/v2/")) {
            x.requireGet();
            InferenceService.ServerMetadata m = service.serverMetadata();
            ObjectNode n = JsonCodec.MAPPER.createObjectNode().put("name", m.name()).put("version", m.version());
            ArrayNode ext = n.putArray("extensions");
            m.extensions().forEach(ext::add);
            x.json(200, JsonCodec.bytes(n));
            return;
        }
        Matcher mm = MODEL.matcher(p);
        if (!mm.matches()) {
            throw InferenceException.notFound("path " + p + ": expected /v2, /v2/health/{live,ready} or "
                    + "/v2/models/{name}[/versions/{version}][/ready|/infer], found no such endpoint");
        }
        String name = mm.group(1);
        String version = mm.group(2);
        String what = mm.group(3);
        if (service.repository().isKnown(name)) {
            x.model = name;
        }
        if (what == null) {
            x.requireGet();
            x.json(200, JsonCodec.bytes(metadataJson(service.modelMetadata(name, version))));
        } else if (what.equals("/ready")) {
            x.requireGet();
            boolean ready = service.modelReady(name, version);
            ObjectNode n = JsonCodec.MAPPER.createObjectNode().put("name", name).put("ready", ready);
            x.json(ready ? 200 : 503, JsonCodec.bytes(n));
        } else {
            if (!x.method.equals("POST")) {
                throw new InferenceException(InferenceException.Status.BAD_REQUEST, x.path + ": expected POST, found "
                        + x.method, 0, null);
            }
            infer(x, name, version);
        }
    }

    private void infer(Exchange x, String name, String version) {
        long declared = x.request.getLength();
        if (declared > settings.maxRequestBytes()) {
            throw tooLarge(declared);
        }
        String header = x.request.getHeaders().get(JsonCodec.HEADER_LENGTH);
        int jsonLength;
        try {
            jsonLength = header == null ? -1 : Integer.parseInt(header.trim());
        } catch (NumberFormatException e) {
            throw InferenceException.badRequest(JsonCodec.HEADER_LENGTH + ": expected a number of bytes, found '"
                    + header + "'");
        }
        Content.Source.asByteArrayAsync(x.request, settings.maxRequestBytes()).whenComplete((body, readError) -> {
            if (readError != null) {
                x.fail(readError instanceof IllegalArgumentException || readError.getCause()
                        instanceof IllegalArgumentException ? tooLarge(-1)
                        : InferenceException.badRequest("request body: could not be read (" + readError + ")"));
                return;
            }
            CompletableFuture<InferResponse> f;
            InferRequest req;
            try {
                req = JsonCodec.readRequest(body, jsonLength);
            } catch (RuntimeException e) {
                x.fail(InferenceException.of(e));
                return;
            }
            f = service.infer(name, version, req);
            boolean allBinary = Tensor.flag(req.parameters(), JsonCodec.BINARY_DATA_OUTPUT);
            f.whenComplete((r, e) -> {
                if (e != null) {
                    x.fail(InferenceException.of(e));
                    return;
                }
                JsonCodec.Encoded out;
                try {
                    out = JsonCodec.writeResponse(r, allBinary);
                } catch (RuntimeException re) {
                    x.fail(InferenceException.of(re));
                    return;
                }
                if (out.binary()) {
                    x.response.getHeaders().put(JsonCodec.HEADER_LENGTH, Integer.toString(out.jsonLength()));
                    x.send(200, "application/octet-stream", out.body());
                } else {
                    x.json(200, out.body());
                }
            });
        });
    }

    private InferenceException tooLarge(long size) {
        return InferenceException.badRequest("request body: expected at most " + settings.maxRequestBytes()
                + " bytes (--max-request-bytes), found " + (size >= 0 ? size + " bytes" : "more"));
    }

    static ObjectNode metadataJson(ModelMetadata m) {
        ObjectNode n = JsonCodec.MAPPER.createObjectNode().put("name", m.name());
        ArrayNode versions = n.putArray("versions");
        m.versions().forEach(versions::add);
        n.put("platform", m.platform());
        tensors(n.putArray("inputs"), m.inputs());
        tensors(n.putArray("outputs"), m.outputs());
        return n;
    }

    private static void tensors(ArrayNode a, java.util.List<ModelMetadata.TensorMetadata> list) {
        for (ModelMetadata.TensorMetadata t : list) {
            ObjectNode o = a.addObject().put("name", t.name()).put("datatype", t.datatype().name());
            ArrayNode s = o.putArray("shape");
            for (long d : t.shape()) {
                s.add(d);
            }
        }
    }

    /** One request being answered: writes the response once, counts and logs it. */
    private final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;
        final long start;
        final String path;
        final String method;
        String model;

        Exchange(Request request, Response response, Callback callback, long start, String path, String method) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.start = start;
            this.path = path;
            this.method = method;
        }

        void requireGet() {
            if (!method.equals("GET")) {
                throw InferenceException.badRequest(path + ": expected GET, found " + method);
            }
        }

        void json(int status, byte[] body) {
            send(status, JSON, body);
        }

        void fail(InferenceException e) {
            if (e.retryAfterSeconds() > 0) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
            }
            if (e.status() == InferenceException.Status.INTERNAL) {
                LoggerFactory.getLogger(RestHandler.class).error("{} {}: {}", method, path, e.getMessage(),
                        e.getCause());
            }
            json(e.status().http(), JsonCodec.error(e.getMessage()));
        }

        void send(int status, String type, byte[] body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            metrics.request(model == null ? "" : model, "rest", status, start);
            if (settings.accessLog()) {
                ACCESS.info("{} {} {} {} {} bytes {} ms", request.getConnectionMetaData().getRemoteSocketAddress(),
                        method, path, status, body.length, String.format(java.util.Locale.ROOT, "%.2f",
                                (System.nanoTime() - start) / 1e6));
            }
        }
    }
}
