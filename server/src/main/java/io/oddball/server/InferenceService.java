package io.oddball.server;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.api.result.Scores;
import io.oddball.runtime.Versions;
import io.oddball.runtime.data.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The protocol's operations on the served models, independent of REST and gRPC: health, metadata and inference.
 * Inference checks the input (one tensor of N instances of the detector's input shape, every value finite and within
 * its datatype), queues it with the model's {@link Batcher} and builds the outputs {@code instance_score} (FP64),
 * {@code is_outlier} (BOOL: score above the saved threshold) and, when asked, {@code feature_score} (FP64).
 */
public final class InferenceService {
    public static final String INSTANCE_SCORE = "instance_score";
    public static final String IS_OUTLIER = "is_outlier";
    public static final String FEATURE_SCORE = "feature_score";
    /** Request parameter asking for {@code feature_score} among the default outputs. */
    public static final String RETURN_FEATURE_SCORE = "return_feature_score";
    /** The binary tensor data extension (REST), as {@code GET /v2} lists it. */
    public static final String BINARY_EXTENSION = "binary_tensor_data";
    private static final Set<String> OUTPUTS = Set.of(INSTANCE_SCORE, IS_OUTLIER, FEATURE_SCORE);

    private final ModelRepository repository;
    private final ServerSettings settings;
    private final ImageInput images;
    private final AtomicInteger inFlight = new AtomicInteger();
    /**
     * Builds and encodes responses off the models' batching threads, so that the next batch does not wait for the
     * last one's responses.
     */
    private final java.util.concurrent.ExecutorService responses = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "oddball-respond");
                t.setDaemon(true);
                return t;
            });
    private volatile boolean accepting = true;

    public InferenceService(ModelRepository repository, ServerSettings settings) {
        this.repository = repository;
        this.settings = settings;
        this.images = new ImageInput();
    }

    public ModelRepository repository() {
        return repository;
    }

    public boolean live() {
        return true;
    }

    /** Ready: every model has been tried, at least one serves, and the server is not shutting down. */
    public boolean ready() {
        return accepting && repository.ready();
    }

    public boolean modelReady(String name, String version) {
        if (!repository.isKnown(name)) {
            throw InferenceException.notFound("model '" + name + "': expected one of " + repository.names()
                    + ", found no model of that name");
        }
        return accepting && repository.isReady(name) && (version == null || version.isEmpty()
                || version.equals(ServedModel.VERSION));
    }

    /** Name, version and extensions of the server. */
    public record ServerMetadata(String name, String version, List<String> extensions) {
    }

    public ServerMetadata serverMetadata() {
        return new ServerMetadata("oddball", Versions.ODDBALL, List.of(BINARY_EXTENSION));
    }

    public ModelMetadata modelMetadata(String name, String version) {
        ServedModel m = repository.get(name, version);
        Shape in = m.inputShape();
        long[] inShape = new long[in == null ? 2 : in.rank() + 1];
        inShape[0] = -1;
        if (in == null) {
            inShape[1] = -1;
        } else {
            for (int i = 0; i < in.rank(); i++) {
                inShape[i + 1] = in.dim(i);
            }
        }
        return new ModelMetadata(name, List.of(ServedModel.VERSION), m.platform(),
                List.of(new ModelMetadata.TensorMetadata("input", Datatype.FP32, inShape)),
                List.of(new ModelMetadata.TensorMetadata(INSTANCE_SCORE, Datatype.FP64, new long[] {-1}),
                        new ModelMetadata.TensorMetadata(IS_OUTLIER, Datatype.BOOL, new long[] {-1}),
                        new ModelMetadata.TensorMetadata(FEATURE_SCORE, Datatype.FP64, new long[] {-1, -1})));
    }

    /** Requests being answered now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Ends the response threads, once nothing is in flight. */
    public void close() {
        responses.shutdown();
    }

    /** Stops taking requests (they get 503); those in flight are still answered. */
    public void stopAccepting() {
        accepting = false;
    }

    /** Waits until no request is in flight, at most {@code millis}; true if none is left. */
    public boolean awaitIdle(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (inFlight.get() > 0) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Scores the request's instances with model {@code name}: the future completes with the response, or with an
     * {@link InferenceException} (400 bad input, 404 unknown model, 503 not ready, overloaded or timed out).
     */
    public CompletableFuture<InferResponse> infer(String name, String version, InferRequest request) {
        if (!accepting) {
            return CompletableFuture.failedFuture(InferenceException.unavailable("the server is shutting down", 1));
        }
        inFlight.incrementAndGet();
        CompletableFuture<InferResponse> out;
        try {
            ServedModel m = repository.get(name, version);
            Outputs wanted = outputs(request);
            Batch rows = rows(m, request);
            CompletableFuture<Scores> scores = m.batcher().submit(rows)
                    .orTimeout(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
            out = scores.thenApplyAsync(sc -> response(m, request, wanted, sc), responses);
        } catch (RuntimeException e) {
            out = CompletableFuture.failedFuture(InferenceException.of(e));
        }
        return out.whenComplete((r, e) -> inFlight.decrementAndGet());
    }

    /** Which outputs to give, and with what parameters (e.g. binary_data). */
    record Outputs(List<InferRequest.RequestedOutput> list) {
    }

    private static Outputs outputs(InferRequest request) {
        List<InferRequest.RequestedOutput> list = new ArrayList<>();
        if (request.outputs().isEmpty()) {
            list.add(new InferRequest.RequestedOutput(INSTANCE_SCORE, Map.of()));
            list.add(new InferRequest.RequestedOutput(IS_OUTLIER, Map.of()));
            if (Tensor.flag(request.parameters(), RETURN_FEATURE_SCORE)) {
                list.add(new InferRequest.RequestedOutput(FEATURE_SCORE, Map.of()));
            }
        } else {
            for (InferRequest.RequestedOutput o : request.outputs()) {
                if (!OUTPUTS.contains(o.name())) {
                    throw InferenceException.badRequest("outputs: expected names among [" + INSTANCE_SCORE + ", "
                            + IS_OUTLIER + ", " + FEATURE_SCORE + "], found '" + o.name() + "'");
                }
                list.add(o);
            }
        }
        return new Outputs(list);
    }

    /** The request's one input as a batch of the model's input shape, every value checked. */
    private Batch rows(ServedModel m, InferRequest request) {
        if (request.inputs().size() != 1) {
            throw InferenceException.badRequest("inputs: expected one input tensor (the instances to score), found "
                    + request.inputs().size());
        }
        Tensor t = request.inputs().get(0);
        String where = "input '" + t.name() + "'";
        long[] shape = t.shape();
        Shape expected = m.inputShape();
        if (shape.length < 1 || shape[0] < 1) {
            throw InferenceException.badRequest(where + ": expected shape [N, ...] with N >= 1 instances, found "
                    + Arrays.toString(shape));
        }
        long elements = Tensor.elements(shape);
        if (elements < 0) {
            throw InferenceException.badRequest(where + ": expected a shape of dimensions >= 0 and fewer than 2^31 "
                    + "elements, found " + Arrays.toString(shape));
        }
        if (t.size() != elements) {
            throw InferenceException.badRequest(where + ": expected " + elements + " values (shape "
                    + Arrays.toString(shape) + "), found " + t.size());
        }
        int n = (int) shape[0];
        if (t.datatype() == Datatype.BYTES) {
            return images.decode(where, t, n, expected);
        }
        int[] tail = new int[shape.length - 1];
        for (int i = 0; i < tail.length; i++) {
            tail[i] = (int) shape[i + 1];
        }
        Shape found = Shape.of(tail);
        Shape target = found;
        if (expected != null && !expected.equals(found)) {
            if (!Shapes.sameLayout(found, expected)) {
                throw InferenceException.badRequest(where + ": expected shape " + shapeOf(expected) + " (N instances "
                        + "of the detector's input " + Shapes.describe(expected) + "), found " + Arrays.toString(shape));
            }
            target = expected;
        }
        return Batch.wrap(values(where, t), target.prepend(n), null);
    }

    /** The tensor's numbers as floats, each checked against its datatype (finite; whole and in range for integers). */
    static float[] values(String where, Tensor t) {
        double[] v = t.numbers();
        Datatype type = t.datatype();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            double x = v[i];
            if (!Double.isFinite(x)) {
                throw InferenceException.badRequest(where + ", value " + i + ": expected a finite number, found " + x);
            }
            if (type.isInteger() && (x != Math.rint(x) || x < type.min() || x > type.max())) {
                throw InferenceException.badRequest(where + ", value " + i + ": expected a whole number of "
                        + type + " (" + (long) type.min() + ".." + new java.math.BigDecimal(type.max()).toBigInteger()
                        + "), found " + x);
            }
            float f = (float) x;
            if (!Float.isFinite(f)) {
                throw InferenceException.badRequest(where + ", value " + i + ": expected a number that fits a 32-bit "
                        + "float, found " + x);
            }
            out[i] = f;
        }
        return out;
    }

    private static String shapeOf(Shape expected) {
        StringBuilder b = new StringBuilder("[N");
        for (int d : expected.dims()) {
            b.append(", ").append(d);
        }
        return b.append(']').toString();
    }

    private static InferResponse response(ServedModel m, InferRequest request, Outputs wanted, Scores sc) {
        int n = sc.size();
        float[] inst = sc.instanceScores();
        double threshold = m.pipeline().threshold();
        List<Tensor> outs = new ArrayList<>();
        for (InferRequest.RequestedOutput o : wanted.list()) {
            switch (o.name()) {
                case INSTANCE_SCORE -> outs.add(Tensor.numeric(INSTANCE_SCORE, Datatype.FP64, new long[] {n},
                        asDoubles(inst), o.parameters()));
                case IS_OUTLIER -> {
                    double[] flags = new double[n];
                    for (int i = 0; i < n; i++) {
                        flags[i] = inst[i] > threshold ? 1 : 0;
                    }
                    outs.add(Tensor.numeric(IS_OUTLIER, Datatype.BOOL, new long[] {n}, flags, o.parameters()));
                }
                default -> {
                    if (!sc.hasFeatureScores()) {
                        throw InferenceException.badRequest("outputs: '" + FEATURE_SCORE + "' asked for, but the "
                                + m.pipeline().detectorName() + " detector of model '" + m.name()
                                + "' gives instance scores only");
                    }
                    Shape fs = sc.featureShape();
                    long[] shape = new long[fs.rank() + 1];
                    shape[0] = n;
                    for (int i = 0; i < fs.rank(); i++) {
                        shape[i + 1] = fs.dim(i);
                    }
                    outs.add(Tensor.numeric(FEATURE_SCORE, Datatype.FP64, shape, asDoubles(sc.featureScores()),
                            o.parameters()));
                }
            }
        }
        return new InferResponse(m.name(), ServedModel.VERSION, request.id(), outs);
    }

    /** Each float as the double of its shortest decimal (0.1f gives 0.1, not 0.10000000149011612). */
    static double[] asDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = Double.parseDouble(Float.toString(f[i]));
        }
        return d;
    }
}
