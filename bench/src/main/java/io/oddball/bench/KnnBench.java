package io.oddball.bench;

import io.oddball.api.DetectorContext;
import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Npy;
import io.oddball.api.data.Shape;
import io.oddball.detector.knn.KnnDetector;
import io.oddball.detector.knn.KnnDetectorProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * KNN benchmark against cleanlab: times {@code fitScore} + {@code score} on the peer's 5 000 × 2 048 reference and
 * 1 000 queries (fresh detector per run, warm-up runs excluded, medians), checks the scores against cleanlab's, and
 * prints a table. {@code --memory} instead scores 1 000 queries against a large random reference (default
 * 1 000 000 × 512) and reports time and peak RSS.
 *
 * <pre>
 * java -cp ... io.oddball.bench.KnnBench [--ref bench/target/peers/ref] [--runs 7] [--warmup 2] [--blockSize N]
 * java -Xmx12g -cp ... io.oddball.bench.KnnBench --memory [--rows 1000000] [--dim 512] [--queries 1000]
 * </pre>
 */
public final class KnnBench {
    private KnnBench() {
    }

    /** Entry point; see the class comment for arguments. */
    public static void main(String[] args) throws IOException {
        Args a = Args.parse(args);
        if (a.has("memory")) {
            memory(a);
        } else {
            speed(a);
        }
    }


    private static KnnDetector detector(Map<String, Object> params) {
        Params p = Params.of(params);
        KnnDetector d = new KnnDetectorProvider().create(p, DetectorContext.simple());
        p.finish();
        return d;
    }

    private static Batch load(Path file) {
        Npy.FloatArray x = Npy.readFloats(file);
        return Batch.wrap(x.data(), Shape.of(x.shape()), null);
    }

    private static void speed(Args a) throws IOException {
        Path ref = Path.of(a.get("ref", "bench/target/peers/ref"));
        int runs = a.getInt("runs", 7);
        int warmup = a.getInt("warmup", 2);
        Map<String, Object> params = new LinkedHashMap<>();
        if (a.has("blockSize")) {
            params.put("blockSize", a.getLong("blockSize", 0));
        }
        Batch train = load(ref.resolve("knn_train_features.npy"));
        Batch test = load(ref.resolve("knn_test_features.npy"));
        float[] clTrain = Npy.readFloats(ref.resolve("knn_train_scores.npy")).data();
        float[] clTest = Npy.readFloats(ref.resolve("knn_test_scores.npy")).data();
        Dataset trainSet = Dataset.of(ref.resolve("knn_train_features.npy").toString(), train);
        List<double[]> times = new ArrayList<>();
        double diffTrain = 0;
        double diffTest = 0;
        for (int r = 0; r < warmup + runs; r++) {
            try (KnnDetector d = detector(params)) {
                long t0 = System.nanoTime();
                float[] s = d.fitCleanlabScores(trainSet);
                long t1 = System.nanoTime();
                float[] q = d.cleanlabScores(test);
                long t2 = System.nanoTime();
                if (r >= warmup) {
                    times.add(new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9});
                }
                diffTrain = Math.max(diffTrain, maxAbsDiff(s, clTrain));
                diffTest = Math.max(diffTest, maxAbsDiff(q, clTest));
            }
        }
        double fit = median(times, 0);
        double score = median(times, 1);
        double total = median(times, 2);
        String json = Files.exists(ref.resolve("knn_timings.json"))
                ? Files.readString(ref.resolve("knn_timings.json")) : "";
        double clFit = jsonNumber(json, "fit_score_features_s_median3");
        double clScore = jsonNumber(json, "score_features_s_median3");
        System.out.printf(Locale.ROOT, "%nKNN fitScore + score, %d x %d reference, %d queries, cosine, k = 10 "
                + "(%d runs after %d warm-up, medians; %d cores)%n", train.size(), train.featuresPerInstance(),
                test.size(), runs, warmup, Runtime.getRuntime().availableProcessors());
        System.out.println("| tool | fit_score s | score s | total s | speed-up |");
        System.out.println("|---|---|---|---|---|");
        if (!Double.isNaN(clFit)) {
            System.out.printf(Locale.ROOT, "| cleanlab %s (scikit-learn %s) | %.3f | %.3f | %.3f | 1.0x |%n",
                    jsonString(json, "cleanlab_version"), jsonString(json, "sklearn"), clFit, clScore,
                    clFit + clScore);
        }
        System.out.printf(Locale.ROOT, "| Oddball knn (TF Java 1.1.0) | %.3f | %.3f | %.3f | %s |%n", fit, score,
                total, Double.isNaN(clFit) ? "n/a" : String.format(Locale.ROOT, "%.1fx", (clFit + clScore) / total));
        System.out.printf(Locale.ROOT, "Oddball runs (fit, score, total s): %s%n", format(times));
        System.out.printf(Locale.ROOT, "max |oddball - cleanlab|: train %.2e, test %.2e (limit 1e-5) -> %s%n",
                diffTrain, diffTest, diffTrain <= 1e-5 && diffTest <= 1e-5 ? "OK" : "MISMATCH");
        System.out.println("rerun: bench/knn.sh   (or: java -cp <bench, detector-knn, tf, api target/classes + bench/target/cp.txt> "
                + "io.oddball.bench.KnnBench --ref " + ref + ")");
    }

    private static void memory(Args a) {
        int rows = a.getInt("rows", 1000000);
        int dim = a.getInt("dim", 512);
        int queries = a.getInt("queries", 1000);
        long blockSize = a.getLong("blockSize", 1L << 24);
        Random rnd = new Random(0);
        float[] x = new float[Math.multiplyExact(rows, dim)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] q = new float[queries * dim];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) rnd.nextGaussian();
        }
        long rssData = rssKb("VmRSS");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("blockSize", blockSize);
        params.put("scalingFactor", 1.0); // fixed: the self-k-NN pass over 10^12 pairs is not what is measured
        try (KnnDetector d = detector(params)) {
            long t0 = System.nanoTime();
            d.fit(Dataset.of("random", Batch.wrap(x, Shape.of(rows, dim), null)), io.oddball.api.FitOptions.DEFAULTS);
            long t1 = System.nanoTime();
            long rssFit = rssKb("VmRSS");
            float[] s = d.cleanlabScores(Batch.wrap(q, Shape.of(queries, dim), null));
            long t2 = System.nanoTime();
            long rssScore = rssKb("VmRSS");
            float[] s2 = d.cleanlabScores(Batch.wrap(q, Shape.of(queries, dim), null));
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "%nKNN memory check: %d x %d random reference (%.2f GiB float32), %d "
                    + "queries, blockSize %d (%.0f MiB of float32 distances per run)%n", rows, dim,
                    rows * (double) dim * 4 / (1 << 30), queries, blockSize, blockSize * 4.0 / (1 << 20));
            System.out.printf(Locale.ROOT, "fit (load reference into TF): %.2f s; score: %.2f s, again %.2f s; "
                    + "scores equal: %s; first score %.4f%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9,
                    Arrays.equals(s, s2), s[0]);
            System.out.printf(Locale.ROOT, "RSS: after data %.2f GiB, after fit %.2f GiB, after score %.2f GiB, "
                    + "peak (VmHWM) %.2f GiB%n", rssData / 1048576.0, rssFit / 1048576.0, rssScore / 1048576.0,
                    rssKb("VmHWM") / 1048576.0);
        }
    }

    private static long rssKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    private static double median(List<double[]> rows, int col) {
        double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    private static String format(List<double[]> rows) {
        StringBuilder b = new StringBuilder();
        for (double[] r : rows) {
            b.append(String.format(Locale.ROOT, "(%.3f, %.3f, %.3f) ", r[0], r[1], r[2]));
        }
        return b.toString().trim();
    }

    private static double jsonNumber(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static String jsonString(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "?";
    }
}
