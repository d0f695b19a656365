package io.oddball.detector.knn;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Npy;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.api.data.Shape;
import io.oddball.detector.knn.KnnConfig.Mode;
import io.oddball.tf.io.ModelProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mode", c.mode().yamlName());
        p.put("instanceShape", f.inputShape().toString());
        p.put("n", String.valueOf(f.n()));
        int dim = (int) f.inputShape().size();
        if (c.mode() == Mode.FEATURES) {
            p.put("k", String.valueOf(c.k()));
            p.put("metric", c.metric().yamlName());
            p.put("scalingFactor", Double.toString(c.scalingFactor()));
            p.put("standardize", String.valueOf(c.standardize()));
            Npy.write(dir.resolve(REFERENCE), new int[] {f.n(), dim}, f.search().referenceRows());
            if (f.mean() != null) {
                Npy.write(dir.resolve(MEAN), new int[] {dim}, f.mean());
                Npy.write(dir.resolve(STD), new int[] {dim}, f.std());
            }
        } else if (f.thresholds() != null) {
            Npy.write(dir.resolve(THRESHOLDS), new int[] {f.thresholds().length}, f.thresholds());
        }
        ModelProperties.write(dir.resolve(PROPERTIES), FORMAT_VERSION, p, "Oddball KNN detector state");
    }

    static KnnDetector.Fitted read(Path dir, KnnConfig config, DetectorContext context) {
        ModelProperties p = ModelProperties.read(dir.resolve(PROPERTIES), "the KNN state file", FORMAT_VERSION);
        Path file = p.file();
        String mode = p.value("mode");
        if (!mode.equals(config.mode().yamlName())) {
            throw new ModelFormatException(file + ": mode: expected " + config.mode().yamlName()
                    + " (as detector.yaml), found " + mode);
        }
        Shape shape;
        try {
            shape = Shape.parse(p.value("instanceShape"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": instanceShape: expected dimensions like 512 or 28x28x1, found "
                    + p.value("instanceShape"));
        }
        int n = p.intValue("n");
        if (shape.size() > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(file + ": instanceShape: expected at most " + (Integer.MAX_VALUE - 8)
                    + " values per instance, found " + shape + " (" + shape.size() + ")");
        }
        int dim = (int) shape.size();
        if (config.mode() == Mode.PRED_PROBS) {
            double[] thresholds = null;
            if (config.adjustPredProbs()) {
                thresholds = readArray(dir.resolve(THRESHOLDS), dim, true).doubles;
                finite(dir.resolve(THRESHOLDS), thresholds, false);
            }
            return new KnnDetector.Fitted(config, shape, n, null, thresholds, null, null);
        }
        int k = p.intValue("k");
        if (k < 1 || k >= n) {
            throw new ModelFormatException(file + ": k: expected 1 to " + (n - 1) + ", found " + k);
        }
        Metric metric;
        try {
            metric = Metric.valueOf(p.value("metric").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": metric: expected cosine or euclidean, found "
                    + p.value("metric"));
        }
        double sf = p.doubleValue("scalingFactor");
        if (!(sf > 0) || Double.isInfinite(sf)) {
            throw new ModelFormatException(file + ": scalingFactor: expected a finite number > 0, found " + sf);
        }
        boolean standardize = Boolean.parseBoolean(p.value("standardize"));
        float[] mean = null;
        float[] std = null;
        if (standardize) {
            mean = readArray(dir.resolve(MEAN), dim, false).floats;
            std = readArray(dir.resolve(STD), dim, false).floats;
            finite(dir.resolve(MEAN), mean, false);
            finite(dir.resolve(STD), std, true);
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
        finite(refFile, ref.data(), false);
        KnnConfig fitted = new KnnConfig(config.mode(), k, metric, config.t(), standardize, config.blockSize(), sf,
                config.method(), config.adjustPredProbs(), config.m(), config.gamma());
        NeighbourSearch search = new NeighbourSearch(metric, ref.data(), n, dim, true, mean, std,
                config.blockSize(), context);
        return new KnnDetector.Fitted(fitted, shape, n, search, null, mean, std);
    }

    private record Arr(float[] floats, double[] doubles) {
    }

    /** Refuses a saved array holding NaN or an infinity (or, with {@code positive}, a value <= 0), naming the index. */
    private static void finite(Path file, float[] a, boolean positive) {
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i]) || (positive && !(a[i] > 0))) {
                throw new ModelFormatException(file + ": value " + i + ": expected a finite number"
                        + (positive ? " > 0" : "") + ", found " + a[i]);
            }
        }
    }

    private static void finite(Path file, double[] a, boolean positive) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i]) || (positive && !(a[i] > 0))) {
                throw new ModelFormatException(file + ": value " + i + ": expected a finite number"
                        + (positive ? " > 0" : "") + ", found " + a[i]);
            }
        }
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
}
