package io.oddball.bench;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.pipeline.Pipeline;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Native-memory leak check: fits a KNN pipeline, then calls {@link Pipeline#score} many times on one batch and
 * prints the process's resident memory ({@code VmRSS} of {@code /proc/self/status}) and the Java heap after a GC at
 * every tenth of the calls. A leak of native (TensorFlow) memory per call shows as RSS growing with the calls while
 * the heap stays flat.
 *
 * <p>Options: {@code --calls 10000 --rows 32 --features 64 --reference 2000 --warmup 500}.
 */
public final class LeakBench {
    private LeakBench() {
    }

    public static void main(String[] args) throws IOException {
        Args a = Args.parse(args);
        int calls = a.getInt("calls", 10000);
        int rows = a.getInt("rows", 32);
        int features = a.getInt("features", 64);
        int reference = a.getInt("reference", 2000);
        int warmup = a.getInt("warmup", 500);

        Path dir = Files.createTempDirectory("leakbench");
        Random r = new Random(42);
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < features; j++) {
            csv.append(j == 0 ? "" : ",").append('f').append(j);
        }
        csv.append('\n');
        for (int i = 0; i < reference; i++) {
            for (int j = 0; j < features; j++) {
                csv.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", r.nextGaussian()));
            }
            csv.append('\n');
        }
        Files.writeString(dir.resolve("train.csv"), csv);
        Path yaml = Files.writeString(dir.resolve("knn.yaml"), "detector: {type: knn, k: 10}\n"
                + "data: {train: {path: train.csv}}\nthreshold: {type: percentile, percent: 95}\n");
        float[] x = new float[rows * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Batch batch = Batch.of(x, Shape.of(rows, features));

        Oddball oddball = Oddball.create(List.of());
        try (Pipeline p = oddball.fit(yaml, DetectorContext.simple())) {
            float[] first = p.score(batch).instanceScores();
            for (int i = 0; i < warmup; i++) {
                p.score(batch);
            }
            System.out.printf("LeakBench: knn, reference %d x %d, batch %d rows, %d score calls after %d warm-up "
                    + "calls%n%n", reference, features, rows, calls, warmup);
            // RSS and heap after a GC at every tenth of the calls; the first GCs give heap pages back to the OS,
            // so growth is measured from the first tenth on
            int step = Math.max(1, calls / 10);
            List<long[]> table = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            table.add(measure(0, t0));
            for (int i = 1; i <= calls; i++) {
                float[] s = p.score(batch).instanceScores();
                if (i == calls && !java.util.Arrays.equals(s, first)) {
                    throw new IllegalStateException("scores changed between calls");
                }
                if (i % step == 0) {
                    table.add(measure(i, t0));
                }
            }
            long base = table.get(1)[1];
            System.out.printf("%8s  %10s  %14s  %13s  %6s%n", "calls", "RSS MiB", "Δ from " + table.get(1)[0],
                    "heap MiB (GC)", "s");
            long min = Long.MAX_VALUE;
            long max = 0;
            for (long[] row : table) {
                System.out.printf("%8d  %10.1f  %+14.1f  %13.1f  %6.1f%n", row[0], row[1] / 1024.0,
                        (row[1] - base) / 1024.0, row[2] / 1048576.0, row[3] / 1e9);
                if (row[0] >= table.get(1)[0]) {
                    min = Math.min(min, row[1]);
                    max = Math.max(max, row[1]);
                }
            }
            long last = table.get(table.size() - 1)[1];
            System.out.printf("%nRSS from call %d to %d: %+.1f MiB (range %.1f .. %.1f MiB); peak (VmHWM) %.1f MiB; "
                    + "scores identical on the first and the last call%n", table.get(1)[0], calls,
                    (last - base) / 1024.0, min / 1024.0, max / 1024.0, status("VmHWM") / 1024.0);
        }
        System.out.println("rerun: bench/leak.sh --calls " + calls);
    }

    /** {calls, RSS kB, heap bytes, nanoseconds since t0}, measured after a GC so the heap's garbage does not count. */
    private static long[] measure(int calls, long t0) throws IOException {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new long[] {calls, status("VmRSS"), heap, System.nanoTime() - t0};
    }

    /** A {@code kB} field of {@code /proc/self/status} (Linux). */
    static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }

}
