package io.oddball.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 *     [--batch-size 256] [--fail-on-error] [--overwrite]
 * </pre>
 */
public final class ScoreJob {
    static final String USAGE = "usage: ScoreJob --detector DIR --input IN.parquet --output OUT.parquet "
            + "[--input-col COL | --input-cols A,B,C] [--batch-size N] [--fail-on-error] [--overwrite]";

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
        try {
            long n = run(spark, o);
            System.out.println("scored " + n + " rows of " + o.input + " into " + o.output);
        } finally {
            spark.stop();
        }
    }

    /** Scores {@code o.input} into {@code o.output}; returns the number of rows written. */
    static long run(SparkSession spark, Options o) {
        Dataset<Row> in = spark.read().parquet(o.input);
        OddballModel model = new OddballModel().setDetectorPath(o.detector).setFailOnError(o.failOnError)
                .setBatchSize(o.batchSize);
        if (o.inputCols != null) {
            model.setInputCols(o.inputCols);
        } else {
            model.setInputCol(o.inputCol);
        }
        // the output is never written over unless asked: nothing of the user's is lost
        model.transform(in).write().mode(o.overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).parquet(o.output);
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
