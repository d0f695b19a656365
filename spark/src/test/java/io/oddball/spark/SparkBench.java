package io.oddball.spark;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Npy;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.pipeline.Pipeline;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark benchmark of bench/spark.sh (issue 25, item 6): a benchmark tool in the test sources of the spark module
 * (it needs Spark's jars, which the module has at provided scope), never run by the tests.
 *
 * <pre>
 * SparkBench prepare  --dir D --rows N --features F --train-rows T   data.parquet + train.npy, knn/ and ae/ fitted
 * SparkBench inprocess --dir D --detector knn|ae --threads t          Pipeline.score in batches of 256, no Spark
 * SparkBench spark    --dir D --detector knn|ae --master local[n]     OddballModel: parquet in, parquet out
 * SparkBench spark    --dir D --detector none --master local[n]       the floor: parquet in, parquet out, no model
 * SparkBench table    --dir D                                         the markdown table of D/results.tsv
 * </pre>
 *
 * The rows are a seeded Gaussian mixture (4 components, unit variance, means drawn N(0, 3²) per feature) with 1 %
 * planted outliers (uniform in [-12, 12] per feature); row {@code id} is made from its own seed, so the in-process
 * baseline scores exactly the rows of data.parquet without reading it. Each run appends one line to results.tsv.
 */
public final class SparkBench {
    private static final int BATCH = 256;
    private static final long SEED = 2026;
    /** The detector name of the floor run: Parquet read and written by Spark, nothing scored. */
    static final String NONE = "none";

    private SparkBench() {
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path dir = Paths.get(a.getOrDefault("dir", "bench/target/spark"));
        switch (args[0]) {
            case "prepare" -> prepare(dir, Long.parseLong(a.get("rows")), Integer.parseInt(a.get("features")),
                    Integer.parseInt(a.get("train-rows")), a.getOrDefault("master", "local[2]"));
            case "inprocess" -> inProcess(dir, a.get("detector"), Integer.parseInt(a.getOrDefault("threads", "1")));
            case "spark" -> spark(dir, a.get("detector"), a.get("master"));
            case "table" -> table(dir);
            case "npy" -> npy(dir);
            default -> throw new IllegalArgumentException("SparkBench: expected prepare, inprocess, spark or table, "
                    + "found '" + args[0] + "'");
        }
    }

    /** The generated rows: row {@code id} from its own seed. */
    record Mixture(int features, float[][] means) implements Serializable {
        private static final long serialVersionUID = 1L;

        static Mixture of(int features) {
            SplittableRandom r = new SplittableRandom(SEED);
            float[][] means = new float[4][features];
            for (float[] m : means) {
                for (int j = 0; j < features; j++) {
                    m[j] = (float) (3 * r.nextGaussian());
                }
            }
            return new Mixture(features, means);
        }

        boolean planted(long id) {
            return new SplittableRandom(SEED * 0x9E3779B97F4A7C15L + id).nextDouble() < 0.01;
        }

        /** Row {@code id}'s features into {@code out[at..at+features)}; {@code inliersOnly} plants no outlier. */
        void row(long id, boolean inliersOnly, float[] out, int at) {
            SplittableRandom r = new SplittableRandom(SEED * 0x9E3779B97F4A7C15L + id);
            boolean planted = r.nextDouble() < 0.01 && !inliersOnly;
            float[] mean = means[r.nextInt(means.length)];
            for (int j = 0; j < features; j++) {
                out[at + j] = planted ? (float) (24 * r.nextDouble() - 12) : mean[j] + (float) r.nextGaussian();
            }
        }
    }

    static SparkSession session(String master) {
        return SparkSession.builder().master(master).appName("oddball-spark-bench")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    static RuntimeContext ctx() {
        return new RuntimeContext("cpu", false);
    }

    static void prepare(Path dir, long rows, int features, int trainRows, String master) throws IOException {
        Files.createDirectories(dir);
        Mixture mix = Mixture.of(features);
        long t0 = System.nanoTime();
        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false))
                .add("planted", DataTypes.BooleanType);
        SparkSession spark = session(master);
        try {
            spark.range(0, rows, 1, 8).map((MapFunction<Long, Row>) id -> {
                float[] x = new float[features];
                mix.row(id, false, x, 0);
                Float[] boxed = new Float[features];
                for (int j = 0; j < features; j++) {
                    boxed[j] = x[j];
                }
                return RowFactory.create(id, boxed, mix.planted(id));
            }, Encoders.row(schema)).write().mode(SaveMode.Overwrite).parquet(dir.resolve("data.parquet").toString());
        } finally {
            spark.stop();
        }
        System.out.printf(Locale.ROOT, "generated %,d rows x %d features into %s in %.1f s%n", rows, features,
                dir.resolve("data.parquet"), (System.nanoTime() - t0) / 1e9);
        // the training sample: rows after the scored ones, inliers only
        float[] train = new float[trainRows * features];
        for (int i = 0; i < trainRows; i++) {
            mix.row(rows + i, true, train, i * features);
        }
        Path npy = dir.resolve("train.npy");
        Npy.write(npy, new int[] {trainRows, features}, train);
        Oddball oddball = Oddball.create(List.of());
        Map<String, String> detectors = Map.of(
                "knn", "detector: {type: knn, k: 5, metric: euclidean}\n",
                "ae", """
                        detector:
                          type: ae
                          architecture: mlp
                          hidden: [64, 32]
                          latentDim: 8
                          fit: {epochs: 10, batchSize: 256, learningRate: 2.0e-3, seed: 1}
                        scorer: {type: top-percent, outlierPerc: 100}
                        """);
        for (String name : List.of("knn", "ae")) {
            Path yaml = Files.writeString(dir.resolve(name + ".yaml"), detectors.get(name)
                    + "data: {train: {path: " + npy + "}}\n");
            long f0 = System.nanoTime();
            try (Pipeline p = oddball.fit(yaml, ctx())) {
                oddball.save(p, dir.resolve(name), true);
            }
            System.out.printf(Locale.ROOT, "fitted %s on %,d rows in %.1f s%n", name, trainRows,
                    (System.nanoTime() - f0) / 1e9);
        }
        Files.writeString(dir.resolve("meta.tsv"), rows + "\t" + features + "\t" + trainRows + "\n");
    }

    /**
     * The same rows as {@code data.parquet}, as {@code data.npy} (float32 [rows, features]), for timing
     * {@code oddball predict} on the data Spark scores.
     */
    static void npy(Path dir) throws IOException {
        long[] m = meta(dir);
        int rows = Math.toIntExact(m[0]);
        int features = (int) m[1];
        Mixture mix = Mixture.of(features);
        float[] x = new float[Math.multiplyExact(rows, features)];
        for (int i = 0; i < rows; i++) {
            mix.row(i, false, x, i * features);
        }
        Npy.write(dir.resolve("data.npy"), new int[] {rows, features}, x);
        System.out.printf(Locale.ROOT, "wrote %,d rows x %d features to %s%n", rows, features,
                dir.resolve("data.npy"));
    }

    static long[] meta(Path dir) throws IOException {
        String[] m = Files.readString(dir.resolve("meta.tsv")).trim().split("\t");
        return new long[] {Long.parseLong(m[0]), Long.parseLong(m[1]), Long.parseLong(m[2])};
    }

    /** Scores the rows of data.parquet, made again here, in batches of 256 on {@code threads} threads. */
    static void inProcess(Path dir, String detector, int threads) throws Exception {
        long[] m = meta(dir);
        int rows = Math.toIntExact(m[0]);
        int features = (int) m[1];
        Mixture mix = Mixture.of(features);
        float[] x = new float[rows * features];
        for (int i = 0; i < rows; i++) {
            mix.row(i, false, x, i * features);
        }
        Oddball oddball = Oddball.create(List.of());
        long l0 = System.nanoTime();
        try (Pipeline p = oddball.load(dir.resolve(detector), ctx())) {
            double loadS = (System.nanoTime() - l0) / 1e9;
            double threshold = p.threshold();
            int batches = (rows + BATCH - 1) / BATCH;
            AtomicLong next = new AtomicLong();
            LongAdder outliers = new LongAdder();
            LongAdder plantedFlagged = new LongAdder();
            Runnable work = () -> {
                float[] buf = new float[BATCH * features];
                for (long b; (b = next.getAndIncrement()) < batches; ) {
                    int from = (int) b * BATCH;
                    int n = Math.min(BATCH, rows - from);
                    float[] chunk = n == BATCH ? buf : new float[n * features];
                    System.arraycopy(x, from * features, chunk, 0, n * features);
                    float[] s = p.score(Batch.of(chunk, p.inputShape().prepend(n))).instanceScores();
                    for (int i = 0; i < n; i++) {
                        if (s[i] > threshold) {
                            outliers.increment();
                            if (mix.planted(from + i)) {
                                plantedFlagged.increment();
                            }
                        }
                    }
                }
            };
            long t0 = System.nanoTime();
            List<Thread> pool = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(work, "score-" + t);
                th.start();
                pool.add(th);
            }
            for (Thread th : pool) {
                th.join();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            report(dir, detector, "in-process " + threads + (threads == 1 ? " thread" : " threads"),
                    Runtime.getRuntime().availableProcessors(), rows, s, loadS, batches, 0, outliers.sum(),
                    plantedFlagged.sum());
        }
    }

    /** OddballModel on data.parquet, written to a parquet file, on {@code master}. */
    static void spark(Path dir, String detector, String master) throws IOException {
        long[] m = meta(dir);
        long s0 = System.nanoTime();
        SparkSession spark = session(master);
        double sessionS = (System.nanoTime() - s0) / 1e9;
        LongAdder tasks = new LongAdder();
        LongAdder runMs = new LongAdder();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                tasks.increment();
                runMs.add(end.taskMetrics().executorRunTime());
            }
        });
        try {
            String out = dir.resolve("scored-" + detector + "-" + master.replaceAll("[^a-z0-9]", "")).toString();
            long t0 = System.nanoTime();
            Dataset<Row> in = spark.read().parquet(dir.resolve("data.parquet").toString());
            if (detector.equals(NONE)) {
                // the floor: Spark reads and writes the same rows, with the three columns a model adds, no scoring
                in.withColumn("score", functions.lit(0.0)).withColumn("outlier", functions.lit(false))
                        .withColumn("error", functions.lit(null).cast(DataTypes.StringType))
                        .write().mode(SaveMode.Overwrite).parquet(out);
            } else {
                new OddballModel().setDetectorPath(dir.resolve(detector).toString()).setInputCol("features")
                        .transform(in).write().mode(SaveMode.Overwrite).parquet(out);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            long jobTasks = tasks.sum();
            long jobRunMs = runMs.sum();
            Dataset<Row> scored = spark.read().parquet(out);
            long n = scored.count();
            long errors = scored.filter(functions.col("error").isNotNull()).count();
            long outliers = scored.filter(functions.col("outlier")).count();
            long plantedFlagged = scored.filter(functions.col("outlier").and(functions.col("planted"))).count();
            if (n != m[0] || errors != 0) {
                throw new IllegalStateException("expected " + m[0] + " rows scored without error, found " + n
                        + " rows, " + errors + " errors");
            }
            System.out.printf(Locale.ROOT, "session start %.1f s; %d tasks, executor run time %.1f s%n", sessionS,
                    jobTasks, jobRunMs / 1e3);
            report(dir, detector, "Spark " + master, Runtime.getRuntime().availableProcessors(), n, s, sessionS,
                    jobTasks, jobRunMs / 1e3, outliers, plantedFlagged);
        } finally {
            spark.stop();
        }
    }

    static void report(Path dir, String detector, String how, int cpus, long rows, double seconds, double setupS,
            long batchesOrTasks, double taskRunS, long outliers, long plantedFlagged) throws IOException {
        String line = String.join("\t", detector, how, String.valueOf(cpus), String.valueOf(rows),
                String.format(Locale.ROOT, "%.3f", seconds), String.format(Locale.ROOT, "%.3f", setupS),
                String.valueOf(batchesOrTasks), String.format(Locale.ROOT, "%.3f", taskRunS),
                String.valueOf(outliers), String.valueOf(plantedFlagged));
        Files.writeString(dir.resolve("results.tsv"), line + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        System.out.printf(Locale.ROOT, "%s, %s (%d CPUs visible): %,d rows in %.1f s = %,.0f rows/s; %,d flagged, "
                + "%,d of them planted%n", detector, how, cpus, rows, seconds, rows / seconds, outliers,
                plantedFlagged);
    }

    /** The markdown table of results.tsv: rows/s beside the in-process baseline, and the scale-out estimate. */
    static void table(Path dir) throws IOException {
        List<String[]> runs = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("results.tsv"))) {
            if (!l.isBlank()) {
                runs.add(l.split("\t"));
            }
        }
        System.out.println("| detector | run | CPUs visible | rows | wall s | rows/s | rows/s per core "
                + "| vs in-process, same cores | setup s (session or load) | tasks | task run time s "
                + "| overhead per task s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String detector : List.of(NONE, "knn", "ae")) {
            double base1 = rate(runs, detector, "in-process 1 thread");
            double base2 = rate(runs, detector, "in-process 2 threads");
            for (String[] r : runs) {
                if (!r[0].equals(detector)) {
                    continue;
                }
                long rows = Long.parseLong(r[3]);
                double s = Double.parseDouble(r[4]);
                int cores = r[1].contains("local[1]") || r[1].equals("in-process 1 thread") ? 1 : 2;
                double base = cores == 1 ? base1 : base2;
                double rate = rows / s;
                boolean isSpark = r[1].startsWith("Spark");
                long tasks = Long.parseLong(r[6]);
                double taskRun = Double.parseDouble(r[7]);
                // each task's run time beyond what the in-process baseline needs for its rows (one core)
                String overhead = isSpark && base1 > 0
                        ? String.format(Locale.ROOT, "%.2f", (taskRun - rows / base1) / tasks) : "";
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %,d | %.1f | %,.0f | %,.0f | %s | %.1f | %s | %s "
                        + "| %s |%n", detector, r[1], r[2], rows, s, rate, rate / cores,
                        isSpark && base > 0 ? String.format(Locale.ROOT, "%.0f %%", 100 * rate / base) : "",
                        Double.parseDouble(r[5]), isSpark ? String.valueOf(tasks) : "",
                        isSpark ? String.format(Locale.ROOT, "%.1f", taskRun) : "", overhead);
            }
        }
        System.out.println();
        System.out.println("Scale-out estimate (per-core throughput of Spark local[1] x cores; an extrapolation, "
                + "not a measurement):");
        System.out.println();
        System.out.println("| detector | per core rows/s | 10 executors x 4 cores | 100 executors x 4 cores |");
        System.out.println("|---|---|---|---|");
        for (String detector : List.of("knn", "ae")) {
            double perCore = rate(runs, detector, "Spark local[1]");
            if (perCore > 0) {
                System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f rows/s (1e9 rows in %.1f min) | %,.0f rows/s "
                        + "(1e9 rows in %.1f min) |%n", detector, perCore, perCore * 40, 1e9 / (perCore * 40) / 60,
                        perCore * 400, 1e9 / (perCore * 400) / 60);
            }
        }
    }

    static double rate(List<String[]> runs, String detector, String how) {
        double last = 0;
        for (String[] r : runs) {
            if (r[0].equals(detector) && r[1].equals(how)) {
                last = Long.parseLong(r[3]) / Double.parseDouble(r[4]);
            }
        }
        return last;
    }
}
