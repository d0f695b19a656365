package io.oddball.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Npy;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.pipeline.Pipeline;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code spark-submit} of the shaded job, {@code oddball-spark-VERSION-all.jar} (built by {@code package};
 * maven-failsafe-plugin runs this after it). {@code spark-submit} is a shell wrapper that starts
 * {@code org.apache.spark.deploy.SparkSubmit}; that class runs here in a JVM of its own with the class path a Spark
 * distribution's {@code jars/} folder gives it (Spark's jars from this module's test class path, without Oddball,
 * TensorFlow or anything only Oddball uses: target/spark-submit.classpath, see the pom) and the shaded jar as the
 * application jar, so the job finds Oddball, the detectors and TensorFlow in that jar alone, behind Spark's classes.
 * Its scores equal those of the detector loaded in this JVM on the same rows; a bad row gets a null score and a
 * message; a missing argument exits 2 with one line and the usage, no stack trace.
 */
class ScoreJobSubmitIT {
    /** Scores computed in another process, in other batches: equal up to float rounding. */
    private static final double TOLERANCE = 1e-4;
    private static final long TIMEOUT_SECONDS = 180;

    @TempDir
    static Path tmp;

    static SparkSession spark;
    static Path knn;

    @BeforeAll
    static void setUp() throws IOException {
        spark = SparkSession.builder().master("local[1]").appName("oddball-spark-submit-it")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        float[][] train = gaussian(new Random(3), 200, 4, 0);
        float[] flat = flatten(train);
        Path npy = tmp.resolve("train.npy");
        Npy.write(npy, new int[] {train.length, 4}, flat);
        Path yaml = Files.writeString(tmp.resolve("knn.yaml"),
                "detector: {type: knn, k: 5, metric: euclidean}\ndata: {train: {path: " + npy + "}}\n");
        knn = tmp.resolve("knn");
        Oddball oddball = Oddball.create(List.of());
        try (Pipeline p = oddball.fit(yaml, ctx())) {
            oddball.save(p, knn);
        }
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    static RuntimeContext ctx() {
        return new RuntimeContext("cpu", false);
    }

    static float[][] gaussian(Random r, int n, int f, float shift) {
        float[][] x = new float[n][f];
        for (float[] row : x) {
            for (int j = 0; j < f; j++) {
                row[j] = shift + (float) r.nextGaussian();
            }
        }
        return x;
    }

    static float[] flatten(float[][] x) {
        float[] flat = new float[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * x[i].length, x[i].length);
        }
        return flat;
    }

    @Test
    void spark_submitOfTheShadedJobScoresAParquetFileAsTheDetectorDoesInProcess() throws Exception {
        // 40 inliers and 5 far rows, plus a row of 3 values (the detector reads 4) and a null row
        Random r = new Random(5);
        float[][] good = new float[45][];
        System.arraycopy(gaussian(r, 40, 4, 0), 0, good, 0, 40);
        System.arraycopy(gaussian(r, 5, 4, 6), 0, good, 40, 5);
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("x", DataTypes.createArrayType(DataTypes.FloatType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < good.length; i++) {
            rows.add(RowFactory.create(i, OddballModelTest.boxed(good[i])));
        }
        rows.add(RowFactory.create(45, OddballModelTest.boxed(new float[] {0.1f, 0.2f, 0.3f})));
        rows.add(RowFactory.create(46, null));
        Path input = tmp.resolve("in.parquet");
        Path output = tmp.resolve("out.parquet");
        spark.createDataFrame(rows, schema).repartition(3).write().parquet(input.toString());

        Submitted run = submit("--detector", knn.toString(), "--input", input.toString(), "--output",
                output.toString(), "--input-col", "x", "--batch-size", "16");

        assertThat(run.exit).as("spark-submit's exit code; its output:%n%s", run.output).isZero();
        assertThat(run.output).contains("scored 47 rows of " + input + " into " + output);
        List<Row> out = spark.read().parquet(output.toString()).orderBy("id").collectAsList();
        assertThat(out).hasSize(47);
        float[] expected;
        double threshold;
        Oddball oddball = Oddball.create(List.of());
        try (Pipeline p = oddball.load(knn, ctx())) {
            expected = p.score(Batch.of(flatten(good), p.inputShape().prepend(good.length))).instanceScores();
            threshold = p.threshold();
        }
        for (int i = 0; i < good.length; i++) {
            Row row = out.get(i);
            assertThat(row.<Integer>getAs("id")).isEqualTo(i);
            assertThat(row.<Double>getAs("score")).as("score of row %d", i).isCloseTo(expected[i], within(TOLERANCE));
            assertThat(row.<Boolean>getAs("outlier")).as("outlier flag of row %d", i)
                    .isEqualTo(expected[i] > threshold);
            assertThat(row.<String>getAs("error")).as("error of row %d", i).isNull();
        }
        // the planted far rows are the outliers
        for (int i = 40; i < 45; i++) {
            assertThat(out.get(i).<Boolean>getAs("outlier")).as("row %d", i).isTrue();
        }
        for (int i = 45; i < 47; i++) {
            assertThat(out.get(i).<Double>getAs("score")).as("score of bad row %d", i).isNull();
            assertThat(out.get(i).<Boolean>getAs("outlier")).as("outlier flag of bad row %d", i).isNull();
        }
        assertThat(out.get(45).<String>getAs("error")).contains("column 'x': expected 4 values", "found 3");
        assertThat(out.get(46).<String>getAs("error")).contains("column 'x': expected a value, found null");
    }

    @Test
    void aMissingArgumentExitsTwoWithOneLineAndTheUsageAndNoStackTrace() throws Exception {
        Submitted run = submit("--input", tmp.resolve("none.parquet").toString(), "--output",
                tmp.resolve("none-out.parquet").toString());

        assertThat(run.exit).as("spark-submit's exit code; its output:%n%s", run.output).isEqualTo(2);
        assertThat(run.output).contains("--detector: expected a value, found the option missing\n"
                + ScoreJob.USAGE + "\n");
        assertThat(run.output).doesNotContain("Exception", "\tat ");
        assertThat(Files.exists(tmp.resolve("none-out.parquet"))).isFalse();
    }

    /** The exit code and the merged stdout + stderr of one spark-submit. */
    record Submitted(int exit, String output) {
    }

    /**
     * Runs {@code spark-submit --master local[2] --class io.oddball.spark.ScoreJob SHADED_JAR args...} as the
     * wrapper script would: SparkSubmit in a new JVM with Spark's jars on its class path and the JVM options Spark's
     * launcher adds on Java 17.
     */
    static Submitted submit(String... jobArgs) throws IOException, InterruptedException {
        Path shaded = Paths.get(property("oddball.spark.shadedJar"));
        assertThat(shaded).as("the shaded job jar (built by mvn package)").isRegularFile();
        String classPath = Files.readString(Paths.get(property("oddball.spark.classPathFile"))).trim();
        assertThat(classPath).as("Spark's class path").contains("spark-core_2.13");
        for (String entry : classPath.split(File.pathSeparator)) {
            assertThat(Paths.get(entry).getFileName().toString()).as("Spark's class path")
                    .doesNotStartWith("oddball-").doesNotStartWith("tensorflow-");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.addAll(Arrays.asList(property("oddball.spark.jvmOptions").trim().split("\\s+")));
        cmd.addAll(List.of("-cp", classPath, "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--class", "io.oddball.spark.ScoreJob", shaded.toString()));
        cmd.addAll(Arrays.asList(jobArgs));
        Path log = Files.createTempFile(tmp, "spark-submit", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(tmp.toFile());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
        // no Spark installation: SparkSubmit would otherwise read SPARK_HOME's conf/ if the machine has one
        pb.environment().remove("SPARK_HOME");
        pb.environment().remove("SPARK_CONF_DIR");
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("spark-submit did not finish in " + TIMEOUT_SECONDS + " s; its output:"
                    + System.lineSeparator() + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Submitted(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    static String property(String name) {
        String v = System.getProperty(name);
        assertThat(v).as("system property %s (set by the pom's failsafe configuration)", name).isNotNull();
        return v;
    }
}
