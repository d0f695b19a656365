package io.oddball.spark;

import io.oddball.api.error.ConfigException;
import io.oddball.api.error.OddballException;
import io.oddball.api.error.PluginException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A ready Spark job: scores a Parquet file with a saved detector and writes it back with the score, outlier and error
 * columns appended.
 *
 * <pre>
 * spark-submit --class io.oddball.spark.ScoreJob oddball-spark-VERSION-all.jar \
 *     --detector DIR --input in.parquet --output out.parquet [--input-col features | --input-cols a,b,c]
 *     [--batch-size 256] [--fail-on-error] [--overwrite] [-v]
 * </pre>
 *
 * A bad argument prints one line and the usage and exits 2; a wrong path (no input, an existing output, no
 * detector.yaml in the detector folder) or a misconfigured stage one line, exit 2; a failed job one line, exit 1. The
 * stack trace is printed only with {@code -v}.
 */
public final class ScoreJob {
    static final String USAGE = "usage: ScoreJob --detector DIR --input IN.parquet --output OUT.parquet "
            + "[--input-col COL | --input-cols A,B,C] [--batch-size N] [--fail-on-error] [--overwrite] [-v]";

    private ScoreJob() {
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("oddball-score").getOrCreate();
        int code = 0;
        try {
            long n = run(spark, o);
            System.out.println("scored " + n + " rows of " + o.input + " into " + o.output);
        } catch (IllegalArgumentException | ConfigException | PluginException e) {
            System.err.println("ScoreJob: " + firstLine(e.getMessage()));
            trace(e, o);
            code = 2;
        } catch (Exception e) {
            // a failed job: Spark's SparkException (checked in Java's eyes, thrown undeclared) around the task's
            // exception, whose stack trace Spark has logged; its message, on one line
            System.err.println("ScoreJob: " + firstLine(String.valueOf(rootMessage(e)))
                    + (o.verbose ? "" : " (run with -v for the stack trace)"));
            trace(e, o);
            code = 1;
        } finally {
            spark.stop();
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    private static void trace(Exception e, Options o) {
        if (o.verbose) {
            e.printStackTrace();
        }
    }

    /** The message of Oddball's exception under Spark's wrappers (a failed task), else the outermost one. */
    static String rootMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OddballException) {
                return t.getMessage();
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /**
     * The arguments' paths, checked on the driver through Hadoop's file system before any job starts, so that a
     * wrong path is one line rather than a failed task: the input must exist, the output must not (unless
     * {@code --overwrite}), and a detector given by an absolute path or URI must hold detector.yaml (a relative one
     * may be a folder shipped with {@code --archives}, and {@code sparkfiles:} one added with addFile).
     */
    static void checkPaths(SparkSession spark, Options o) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        if (!exists(conf, new org.apache.hadoop.fs.Path(o.input))) {
            throw new IllegalArgumentException("--input: expected a Parquet file or folder, found nothing at "
                    + o.input);
        }
        if (!o.overwrite && exists(conf, new org.apache.hadoop.fs.Path(o.output))) {
            throw new IllegalArgumentException("--output: expected a path where nothing is yet, found " + o.output
                    + " existing; add --overwrite to replace it");
        }
        if (!o.detector.startsWith(DetectorCache.SPARK_FILES)) {
            org.apache.hadoop.fs.Path d = new org.apache.hadoop.fs.Path(o.detector);
            if ((d.isAbsolute() || d.toUri().getScheme() != null)
                    && !exists(conf, new org.apache.hadoop.fs.Path(d, "detector.yaml"))) {
                throw new IllegalArgumentException("--detector: expected a saved detector folder (with detector.yaml),"
                        + " found " + (exists(conf, d) ? "no detector.yaml in " : "nothing at ") + o.detector);
            }
        }
    }

    private static void delete(Configuration conf, org.apache.hadoop.fs.Path path) {
        try {
            path.getFileSystem(conf).delete(path, true);
        } catch (IOException e) {
            System.err.println("ScoreJob: could not remove the output the failed job left at " + path + ": "
                    + e.getMessage());
        }
    }

    private static boolean exists(Configuration conf, org.apache.hadoop.fs.Path path) {
        try {
            return path.getFileSystem(conf).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }

    /** Scores {@code o.input} into {@code o.output}; returns the number of rows written. */
    static long run(SparkSession spark, Options o) {
        checkPaths(spark, o);
        Dataset<Row> in = spark.read().parquet(o.input);
        OddballModel model = new OddballModel().setDetectorPath(o.detector).setFailOnError(o.failOnError)
                .setBatchSize(o.batchSize);
        if (o.inputCols != null) {
            model.setInputCols(o.inputCols);
        } else {
            model.setInputCol(o.inputCol);
        }
        // the output is never written over unless asked: nothing of the user's is lost
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(o.output);
        boolean existed = exists(conf, out);
        boolean written = false;
        try {
            model.transform(in).write().mode(o.overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                    .parquet(o.output);
            written = true;
        } finally {
            if (!written && !existed) {
                // what a failed job leaves (an empty folder, or part files) was made by this job: removed
                delete(conf, out);
            }
        }
        return spark.read().parquet(o.output).count();
    }

    /** The job's arguments. */
    static final class Options {
        String detector;
        String input;
        String output;
        String inputCol = "features";
        String[] inputCols;
        int batchSize = 256;
        boolean failOnError;
        boolean overwrite;
        boolean verbose;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> a = new ArrayList<>(Arrays.asList(args));
            while (!a.isEmpty()) {
                String k = a.remove(0);
                switch (k) {
                    case "--detector" -> o.detector = value(k, a);
                    case "--input" -> o.input = value(k, a);
                    case "--output" -> o.output = value(k, a);
                    case "--input-col" -> o.inputCol = value(k, a);
                    case "--input-cols" -> o.inputCols = value(k, a).split(",");
                    case "--batch-size" -> {
                        String v = value(k, a);
                        try {
                            o.batchSize = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            o.batchSize = 0;
                        }
                        if (o.batchSize < 1) {
                            throw new IllegalArgumentException("--batch-size: expected an integer >= 1, found '"
                                    + v + "'");
                        }
                    }
                    case "--fail-on-error" -> o.failOnError = true;
                    case "--overwrite" -> o.overwrite = true;
                    case "-v", "--verbose" -> o.verbose = true;
                    default -> throw new IllegalArgumentException("ScoreJob: expected an option, found '" + k + "'");
                }
            }
            for (String[] req : new String[][] {{"--detector", o.detector}, {"--input", o.input},
                {"--output", o.output}}) {
                if (req[1] == null) {
                    throw new IllegalArgumentException(req[0] + ": expected a value, found the option missing");
                }
            }
            return o;
        }

        private static String value(String key, List<String> rest) {
            if (rest.isEmpty() || rest.get(0).startsWith("--")) {
                throw new IllegalArgumentException(key + ": expected a value, found none");
            }
            return rest.remove(0);
        }
    }
}
