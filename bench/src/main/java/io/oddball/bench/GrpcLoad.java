package io.oddball.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.oddball.server.grpc.v2.GRPCInferenceServiceGrpc;
import io.oddball.server.grpc.v2.GrpcPredictV2.InferTensorContents;
import io.oddball.server.grpc.v2.GrpcPredictV2.ModelInferRequest;
import io.oddball.server.grpc.v2.GrpcPredictV2.ModelInferResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gRPC load client of {@code bench/serve.sh}: {@code --concurrency} requests in flight on one channel (HTTP/2, as
 * a gRPC client holds one), each sent again as soon as its answer arrives (a closed loop, as wrk does over REST), for
 * a warm-up and then a measured time. Requests are the protocol's {@code ModelInferRequest} with the rows of
 * {@code --rows} (unsigned bytes, whole instances one after another) as FP32 values 0..255 in
 * {@code raw_input_contents}, as Triton's and KServe's Python clients send them; the same request goes to
 * {@code oddball serve} and to MLServer.
 *
 * <pre>
 * java -cp ... io.oddball.bench.GrpcLoad --target 127.0.0.1:8081 --model knn --rows knn.u8 --shape 28,28
 *     [--batch 1] [--concurrency 8] [--seconds 10] [--warmup 2] [--contents raw|typed] [--outputs a,b]
 * </pre>
 *
 * {@code --contents typed} sends the values as {@code fp32_contents} instead of {@code raw_input_contents} (a server
 * answers raw outputs to raw inputs: MLServer 1.7.1 with mlserver-alibi-detect then fails packing its empty
 * {@code feature_score}); {@code --outputs} names the outputs asked for.
 *
 * Prints one line as {@code bench/peers/wrk_post.lua} does: {@code WRKRESULT requests duration-us p50-ms p99-ms
 * mean-ms failed 0 0}.
 */
public final class GrpcLoad {
    private GrpcLoad() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Args a = Args.parse(args);
        if (!a.has("target") || !a.has("model") || !a.has("rows") || !a.has("shape")) {
            System.err.println("GrpcLoad: expected --target HOST:PORT --model NAME --rows FILE --shape D1,D2,..., "
                    + "found " + Arrays.toString(args));
            System.exit(2);
        }
        long[] instance = Arrays.stream(a.get("shape").split(",")).mapToLong(Long::parseLong).toArray();
        int batch = a.getInt("batch", 1);
        int concurrency = a.getInt("concurrency", 8);
        double seconds = a.getDouble("seconds", 10);
        double warmup = a.getDouble("warmup", 2);
        byte[] raw = Files.readAllBytes(Path.of(a.get("rows")));
        int f = (int) Arrays.stream(instance).reduce(1, (x, y) -> x * y);
        int n = raw.length / f;
        if (n < batch) {
            System.err.println("GrpcLoad: " + a.get("rows") + " holds " + n + " instances, expected " + batch);
            System.exit(2);
        }
        long[] shape = new long[instance.length + 1];
        shape[0] = batch;
        System.arraycopy(instance, 0, shape, 1, instance.length);
        boolean typed = a.get("contents", "raw").equals("typed");
        List<String> outputs = a.has("outputs") ? List.of(a.get("outputs").split(",")) : List.of();
        // a few distinct requests, cycled
        List<ModelInferRequest> requests = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            ByteBuffer b = ByteBuffer.allocate(batch * f * 4).order(ByteOrder.LITTLE_ENDIAN);
            InferTensorContents.Builder contents = InferTensorContents.newBuilder();
            for (int i = 0; i < batch * f; i++) {
                float v = raw[((k * batch * f) + i) % (n * f)] & 0xff;
                b.putFloat(v);
                if (typed) {
                    contents.addFp32Contents(v);
                }
            }
            ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("x").setDatatype("FP32");
            for (long d : shape) {
                in.addShape(d);
            }
            if (typed) {
                in.setContents(contents);
            }
            ModelInferRequest.Builder r = ModelInferRequest.newBuilder().setModelName(a.get("model"))
                    .setId("grpc-load-" + k).addInputs(in);
            if (!typed) {
                r.addRawInputContents(ByteString.copyFrom(b.array()));
            }
            for (String o : outputs) {
                r.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName(o));
            }
            requests.add(r.build());
        }
        ManagedChannel channel = ManagedChannelBuilder.forTarget(a.get("target")).usePlaintext().directExecutor()
                .maxInboundMessageSize(64 << 20).build();
        try {
            Run warm = run(channel, requests, concurrency, warmup);
            if (warm.completed() == 0) {
                System.err.println("GrpcLoad: no request answered during the warm-up (" + warm.failed() + " failed: "
                        + warm.firstError() + ")");
                System.exit(1);
            }
            Run r = run(channel, requests, concurrency, seconds);
            long[] ns = r.latencies();
            Arrays.sort(ns);
            double p50 = ns.length == 0 ? Double.NaN : ns[(int) Math.floor(0.50 * (ns.length - 1))] / 1e6;
            double p99 = ns.length == 0 ? Double.NaN : ns[(int) Math.floor(0.99 * (ns.length - 1))] / 1e6;
            double mean = Arrays.stream(ns).average().orElse(Double.NaN) / 1e6;
            if (r.failed() > 0) {
                System.err.println("GrpcLoad: " + r.failed() + " requests failed, the first: " + r.firstError());
            }
            System.out.printf(Locale.ROOT, "WRKRESULT %d %d %.3f %.3f %.3f %d 0 0%n", ns.length, r.durationNanos()
                    / 1000, p50, p99, mean, r.failed());
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private record Run(long[] latencies, long durationNanos, int completed, int failed, String firstError) {
    }

    /** {@code concurrency} requests in flight for {@code seconds}; those answered within the time are counted. */
    private static Run run(ManagedChannel channel, List<ModelInferRequest> requests, int concurrency, double seconds)
            throws InterruptedException {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub = GRPCInferenceServiceGrpc.newStub(channel);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long[] latencies = new long[1 << 22];
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        AtomicLong lastAnswer = new AtomicLong(start);
        String[] firstError = {null};
        CountDownLatch finished = new CountDownLatch(concurrency);
        for (int c = 0; c < concurrency; c++) {
            new Object() {
                void send() {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        finished.countDown();
                        return;
                    }
                    stub.modelInfer(requests.get(sent.getAndIncrement() % requests.size()),
                            new StreamObserver<ModelInferResponse>() {
                                @Override
                                public void onNext(ModelInferResponse value) {
                                }

                                @Override
                                public void onError(Throwable t) {
                                    if (System.nanoTime() <= end) {
                                        failed.incrementAndGet();
                                    }
                                    synchronized (firstError) {
                                        if (firstError[0] == null) {
                                            firstError[0] = t.toString();
                                        }
                                    }
                                    // again from another thread: a call that fails at once (on this thread, with
                                    // the direct executor) would otherwise recurse
                                    java.util.concurrent.ForkJoinPool.commonPool().execute(this::sendAgain);
                                }

                                private void sendAgain() {
                                    send();
                                }

                                @Override
                                public void onCompleted() {
                                    long t1 = System.nanoTime();
                                    if (t1 <= end) {
                                        int i = done.getAndIncrement();
                                        if (i < latencies.length) {
                                            latencies[i] = t1 - t0;
                                        }
                                        lastAnswer.accumulateAndGet(t1, Math::max);
                                    }
                                    send();
                                }
                            });
                }
            }.send();
        }
        finished.await(Math.round(seconds) + 120, TimeUnit.SECONDS);
        int count = Math.min(done.get(), latencies.length);
        return new Run(Arrays.copyOf(latencies, count), end - start, count, failed.get(), firstError[0]);
    }
}
