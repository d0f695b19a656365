package io.oddball.detector.knn;

import io.oddball.api.DetectorContext;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.api.data.Shape;
import io.oddball.detector.knn.KnnConfig.Mode;
import io.oddball.tf.io.Npy;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * The files of a saved KNN detector: {@code knn.properties} (format version, mode, instance shape, fitted k, metric
 * and exact scaling factor), {@code reference.npy} (float32 n × d, the reference rows as searched: standardised when
 * {@code standardize}, unit-length for cosine), {@code column_mean.npy} / {@code column_std.npy} (float32 d, when
 * standardised) and {@code confident_thresholds.npy} (float64 K, pred-probs mode with adjustment).
 */
final class KnnModelFiles {
    /** The format this code writes and the newest it reads. */
    static final int FORMAT_VERSION = 1;
    static final String PROPERTIES = "knn.properties";
    static final String REFERENCE = "reference.npy";
    static final String MEAN = "column_mean.npy";
    static final String STD = "column_std.npy";
    static final String THRESHOLDS = "confident_thresholds.npy";

    private KnnModelFiles() {
    }

    static void write(Path dir, KnnDetector.Fitted f) {
        KnnConfig c = f.config();
        Properties p = new Properties();
        p.setProperty("formatVersion", String.valueOf(FORMAT_VERSION));
        p.setProperty("mode", c.mode().yamlName());
        p.setProperty("instanceShape", f.inputShape().toString());
        p.setProperty("n", String.valueOf(f.n()));
        int dim = (int) f.inputShape().size();
        if (c.mode() == Mode.FEATURES) {
            p.setProperty("k", String.valueOf(c.k()));
            p.setProperty("metric", c.metric().yamlName());
            p.setProperty("scalingFactor", Double.toString(c.scalingFactor()));
            p.setProperty("standardize", String.valueOf(c.standardize()));
            Npy.write(dir.resolve(REFERENCE), new int[] {f.n(), dim}, f.search().referenceRows());
            if (f.mean() != null) {
                Npy.write(dir.resolve(MEAN), new int[] {dim}, f.mean());
                Npy.write(dir.resolve(STD), new int[] {dim}, f.std());
            }
        } else if (f.thresholds() != null) {
            Npy.write(dir.resolve(THRESHOLDS), new int[] {f.thresholds().length}, f.thresholds());
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
            p.store(w, "Oddball KNN detector state");
        } catch (IOException e) {
            throw new DataException(dir.resolve(PROPERTIES) + ": cannot write: " + e.getMessage(), e);
        }
    }

    static KnnDetector.Fitted read(Path dir, KnnConfig config, DetectorContext context) {
        Path file = dir.resolve(PROPERTIES);
        Properties p = new Properties();
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": expected the KNN state file, found none");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        int version = intValue(p, file, "formatVersion");
        if (version > FORMAT_VERSION || version < 1) {
            throw new ModelFormatException(file + ": formatVersion: expected 1 to " + FORMAT_VERSION + ", found "
                    + version + (version > FORMAT_VERSION ? "; saved by a newer Oddball" : ""));
        }
        String mode = value(p, file, "mode");
        if (!mode.equals(config.mode().yamlName())) {
            throw new ModelFormatException(file + ": mode: expected " + config.mode().yamlName()
                    + " (as detector.yaml), found " + mode);
        }
        Shape shape;
        try {
            shape = Shape.parse(value(p, file, "instanceShape"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": instanceShape: expected dimensions like 512 or 28x28x1, found "
                    + p.getProperty("instanceShape"));
        }
        int n = intValue(p, file, "n");
        int dim = (int) shape.size();
        if (config.mode() == Mode.PRED_PROBS) {
            double[] thresholds = null;
            if (config.adjustPredProbs()) {
                thresholds = readArray(dir.resolve(THRESHOLDS), dim, true).doubles;
            }
            return new KnnDetector.Fitted(config, shape, n, null, thresholds, null, null);
        }
        int k = intValue(p, file, "k");
        if (k < 1 || k >= n) {
            throw new ModelFormatException(file + ": k: expected 1 to " + (n - 1) + ", found " + k);
        }
        Metric metric;
        try {
            metric = Metric.valueOf(value(p, file, "metric").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": metric: expected cosine or euclidean, found "
                    + p.getProperty("metric"));
        }
        double sf;
        try {
            sf = Double.parseDouble(value(p, file, "scalingFactor"));
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file + ": scalingFactor: expected a number, found "
                    + p.getProperty("scalingFactor"));
        }
        boolean standardize = Boolean.parseBoolean(value(p, file, "standardize"));
        float[] mean = null;
        float[] std = null;
        if (standardize) {
            mean = readArray(dir.resolve(MEAN), dim, false).floats;
            std = readArray(dir.resolve(STD), dim, false).floats;
        }
        Path refFile = dir.resolve(REFERENCE);
        if (!Files.isRegularFile(refFile)) {
            throw new ModelFormatException(refFile + ": expected the reference set, found no file");
        }
        Npy.FloatArray ref;
        try {
            ref = Npy.readFloats(refFile);
        } catch (DataException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
        if (!Arrays.equals(ref.shape(), new int[] {n, dim}) || !"<f4".equals(Npy.header(refFile).descr())) {
            throw new ModelFormatException(refFile + ": expected a float32 array of shape [" + n + ", " + dim
                    + "], found " + Npy.header(refFile).descr() + " " + Arrays.toString(ref.shape()));
        }
        KnnConfig fitted = new KnnConfig(config.mode(), k, metric, config.t(), standardize, config.blockSize(), sf,
                config.method(), config.adjustPredProbs(), config.m(), config.gamma());
        NeighbourSearch search = new NeighbourSearch(metric, ref.data(), n, dim, true, mean, std,
                config.blockSize(), context);
        return new KnnDetector.Fitted(fitted, shape, n, search, null, mean, std);
    }

    private record Arr(float[] floats, double[] doubles) {
    }

    private static Arr readArray(Path file, int length, boolean doubles) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": expected an array of " + length + " values, found no file");
        }
        try {
            int[] shape = Npy.header(file).shape();
            if (!Arrays.equals(shape, new int[] {length})) {
                throw new ModelFormatException(file + ": expected shape [" + length + "], found "
                        + Arrays.toString(shape));
            }
            return doubles ? new Arr(null, Npy.readDoubles(file).data()) : new Arr(Npy.readFloats(file).data(), null);
        } catch (DataException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
    }

    private static String value(Properties p, Path file, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new ModelFormatException(file + ": " + key + ": expected a value, found none");
        }
        return v.trim();
    }

    private static int intValue(Properties p, Path file, String key) {
        String v = value(p, file, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file + ": " + key + ": expected an integer, found " + v);
        }
    }
}
