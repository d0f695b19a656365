package io.oddball.bench;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The in-process side of {@code bench/serve.sh}: a saved detector loaded as {@code oddball serve} loads it
 * ({@link Oddball#load}) and scored with {@link Pipeline#score} on one thread, batch after batch, for a fixed time
 * per batch size: instances/s and the p50 and p99 of one call. The rows are those the load tool sends the server
 * (raw pixels 0..255, which the saved pipeline's {@code preprocess} scales, as in the server).
 *
 * <pre>
 * java -cp ... io.oddball.bench.ServeBench --model knn=DIR --rows knn.u8 [--batches 1,32,64] [--seconds 10]
 *     [--warmup 3]
 * </pre>
 *
 * {@code --rows}: a file of unsigned bytes, whole instances of the detector's input shape one after another.
 * Prints a table and one {@code RESULT model batch instances/s p50-ms p99-ms calls} line per cell for the script.
 */
public final class ServeBench {
    private ServeBench() {
    }

    public static void main(String[] args) throws IOException {
        Args a = Args.parse(args);
        String[] model = a.get("model", "").split("=", 2);
        if (model.length != 2 || !a.has("rows")) {
            System.err.println("ServeBench: expected --model NAME=DIR --rows FILE, found " + Arrays.toString(args));
            System.exit(2);
        }
        int[] batches = Arrays.stream(a.get("batches", "1,32,64").split(","))
                .mapToInt(Integer::parseInt).toArray();
        double seconds = a.getDouble("seconds", 10);
        double warmup = a.getDouble("warmup", 3);
        byte[] raw = Files.readAllBytes(Path.of(a.get("rows")));

        Oddball oddball = Oddball.create(List.of());
        try (Pipeline p = oddball.load(Path.of(model[1]), DetectorContext.simple())) {
            Shape instance = p.inputShape();
            int f = (int) instance.size();
            int n = raw.length / f;
            if (n == 0 || raw.length % f != 0) {
                throw new IllegalArgumentException("ServeBench: " + a.get("rows") + " holds " + raw.length
                        + " bytes, expected whole instances of " + f + " (" + instance + ")");
            }
            System.out.printf("ServeBench: %s (%s, input %s), %d distinct rows, %.0f s per batch size after %.0f s "
                    + "of warm-up, one thread%n", model[0], p.detectorName(), instance, n, seconds, warmup);
            System.out.printf("%-8s %6s %8s %12s %9s %9s%n", "model", "batch", "calls", "instances/s", "p50 ms",
                    "p99 ms");
            for (int b : batches) {
                // a few distinct batches, cycled, so that no call scores the very rows of the one before
                List<Batch> inputs = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    float[] x = new float[b * f];
                    for (int i = 0; i < b; i++) {
                        int row = (k * b + i) % n;
                        for (int j = 0; j < f; j++) {
                            x[i * f + j] = raw[row * f + j] & 0xff;
                        }
                    }
                    inputs.add(Batch.of(x, instance.prepend(b)));
                }
                run(p, inputs, warmup);
                long[] ns = run(p, inputs, seconds);
                long total = Arrays.stream(ns).sum();
                Arrays.sort(ns);
                double perS = (double) ns.length * b / (total / 1e9);
                double p50 = ns[(int) Math.floor(0.50 * (ns.length - 1))] / 1e6;
                double p99 = ns[(int) Math.floor(0.99 * (ns.length - 1))] / 1e6;
                System.out.printf(Locale.ROOT, "%-8s %6d %8d %12.1f %9.3f %9.3f%n", model[0], b, ns.length, perS,
                        p50, p99);
                System.out.printf(Locale.ROOT, "RESULT %s %d %.1f %.3f %.3f %d%n", model[0], b, perS, p50, p99,
                        ns.length);
            }
        }
    }

    /** Scores the inputs in turn for {@code seconds}; the nanoseconds of each call. */
    private static long[] run(Pipeline p, List<Batch> inputs, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long[] ns = new long[1024];
        int calls = 0;
        long now = System.nanoTime();
        while (now < end) {
            p.score(inputs.get(calls % inputs.size()));
            long t = System.nanoTime();
            if (calls == ns.length) {
                ns = Arrays.copyOf(ns, 2 * ns.length);
            }
            ns[calls++] = t - now;
            now = t;
        }
        return Arrays.copyOf(ns, calls);
    }
}
