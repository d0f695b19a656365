package io.oddball.detector.knn;

import static java.util.Objects.requireNonNull;

import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.result.Scores;
import io.oddball.tf.StatefulDetector;
import io.oddball.detector.knn.KnnConfig.Mode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * k-nearest-neighbour atypicality exactly as cleanlab's {@code OutOfDistribution}: in features mode the average
 * distance to the k nearest reference rows, mapped to {@code exp(-t · avg / scalingFactor)}; in pred-probs mode
 * entropy, least-confidence or GEN scores of (class-threshold adjusted) predicted probabilities. {@link #score}
 * returns Oddball's direction {@code 1 − cleanlab score}; {@link #cleanlabScores} the cleanlab score as is.
 *
 * <p>Thread-safe after fit: {@link #score} may run on many threads; {@link #close} waits for running scores.
 */
public final class KnnDetector extends StatefulDetector<KnnDetector.Fitted> {
    private static final Logger LOG = LoggerFactory.getLogger(KnnDetector.class);

    private final KnnConfig config;
    private final DetectorContext context;

    /** The fitted state; immutable. {@code search} is null in pred-probs mode, {@code thresholds} in features. */
    record Fitted(KnnConfig config, Shape inputShape, int n, NeighbourSearch search, double[] thresholds,
            float[] mean, float[] std) {
    }

    /** A fit's state and, when asked for, the reference rows' cleanlab scores. */
    private record Fit(Fitted fitted, float[] scores) {
    }

    /** An unfitted detector. */
    public KnnDetector(KnnConfig config, DetectorContext context) {
        this(config, null, context);
    }

    /** A fitted detector from saved state (see {@link KnnModelFiles}). */
    KnnDetector(Fitted state, DetectorContext context) {
        this(state.config(), state, context);
    }

    private KnnDetector(KnnConfig config, Fitted fitted, DetectorContext context) {
        super(KnnDetectorProvider.NAME, fitted, f -> {
            if (f.search() != null) {
                f.search().close();
            }
        });
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    protected Shape inputShape(Fitted f) {
        return f.inputShape();
    }

    @Override
    public boolean hasFeatureScores() {
        return false;
    }

    /** The configuration, with {@code k}, {@code metric} and {@code scalingFactor} fixed once fitted. */
    public KnnConfig config() {
        Fitted f = state.peek();
        return f == null ? config : f.config();
    }

    @Override
    public void fit(Dataset data, FitOptions options) {
        fitInternal(data, false);
    }

    @Override
    public Scores fitScore(Dataset data, FitOptions options) {
        return Scores.ofInstances(Atypicality.outlying(fitCleanlabScores(data)));
    }

    /**
     * Fits on {@code data} and returns cleanlab's {@code fit_score}: each reference row scored against the others
     * (itself excluded, exact duplicates corrected), in (0, 1], lower = more atypical.
     */
    public float[] fitCleanlabScores(Dataset data) {
        return fitInternal(data, true);
    }

    @Override
    public Scores score(Batch batch) {
        return Scores.ofInstances(Atypicality.outlying(cleanlabScores(batch)));
    }

    /** cleanlab's {@code score}: in (0, 1], lower = more atypical (Oddball's instance score is 1 − this). */
    public float[] cleanlabScores(Batch batch) {
        requireNonNull(batch, "batch is null");
        return state.read(f -> {
            String where = "knn: scored batch";
            checkShape(f.inputShape(), batch.instanceShape());
            float[] data = batch.toArray();
            checkFinite(data, batch.size(), batch.featuresPerInstance(), where);
            if (f.config().mode() == Mode.PRED_PROBS) {
                return predProbScores(f, data, batch.size(), where);
            }
            if (batch.size() == 0) {
                return new float[0];
            }
            KnnConfig c = f.config();
            Neighbours nb = f.search().search(data, 0, batch.size(), c.k());
            return Atypicality.scores(nb.meanDistances(c.k(), null), c.t(), c.scalingFactor(), c.metric());
        });
    }

    private float[] fitInternal(Dataset data, boolean wantScores) {
        requireNonNull(data, "data is null");
        float[][] scores = new float[1][];
        state.fit(() -> {
            Reference ref = readReference(data);
            Batch all = ref.batch();
            String where = "knn: " + data.name();
            int n = all.size();
            int dim = all.featuresPerInstance();
            if (n == 0) {
                throw new DataException(where + ": expected at least 1 instance, found none");
            }
            float[] x = ref.values();
            checkFinite(x, n, dim, where);
            Fit fit = config.mode() == Mode.PRED_PROBS ? fitPredProbs(all, x, n, dim, where, wantScores)
                    : fitFeatures(all.instanceShape(), x, n, dim, where, wantScores);
            scores[0] = fit.scores();
            return fit.fitted();
        });
        return scores[0];
    }

    /** The reference set read once: the batch and its values array (the same memory, not a copy). */
    private record Reference(Batch batch, float[] values) {
    }

    /**
     * Reads the whole reference set with one copy of its values (into an array of the announced size when the
     * dataset knows it).
     */
    private static Reference readReference(Dataset data) {
        java.util.OptionalLong size = data.size();
        int f = (int) data.instanceShape().size();
        if (size.isEmpty() || size.getAsLong() * f > Integer.MAX_VALUE - 8) {
            Batch all = data.readAll();
            return new Reference(all, all.toArray());
        }
        int n = (int) size.getAsLong();
        float[] x = new float[n * f];
        int[] labels = data.hasLabels() ? new int[n] : null;
        int at = 0;
        try (io.oddball.api.data.BatchIterator it = data.batches(4096)) {
            while (it.hasNext()) {
                Batch b = it.next();
                if (at + b.size() > n) {
                    throw new DataException("knn: " + data.name() + ": expected " + n + " instances (as announced), "
                            + "found more");
                }
                b.data().get(x, at * f, b.size() * f);
                if (labels != null) {
                    System.arraycopy(b.labels(), 0, labels, at, b.size());
                }
                at += b.size();
            }
        }
        if (at != n) {
            throw new DataException("knn: " + data.name() + ": expected " + n + " instances (as announced), found "
                    + at);
        }
        return new Reference(Batch.wrap(x, data.instanceShape().prepend(n), labels), x);
    }

    private Fit fitPredProbs(Batch all, float[] p, int n, int classes, String where, boolean wantScores) {
        double[] thresholds = null;
        if (config.adjustPredProbs()) {
            if (!all.hasLabels()) {
                throw new DataException(where + ": expected labels (pred-probs mode with adjustPredProbs: true), "
                        + "found none; give the data labels or set adjustPredProbs: false");
            }
            thresholds = PredProbs.confidentThresholds(p, n, classes, all.labels(), where);
        }
        Fitted f = new Fitted(config, all.instanceShape(), n, null, thresholds, null, null);
        LOG.info("knn: pred-probs mode, {} classes, method {}, adjustPredProbs {}", classes,
                config.method().yamlName(), config.adjustPredProbs());
        return new Fit(f, wantScores ? predProbScores(f, p, n, where) : null);
    }

    private static float[] predProbScores(Fitted f, float[] p, int n, String where) {
        KnnConfig c = f.config();
        return PredProbs.scores(p, n, (int) f.inputShape().size(), f.thresholds(), c.method(), c.m(), c.gamma(),
                where);
    }

    private Fit fitFeatures(Shape shape, float[] x, int n, int dim, String where, boolean wantScores) {
        int k = config.k();
        if (k >= n) {
            throw new ConfigException("knn: k: expected an integer < the number of reference instances (" + n
                    + "), found " + k);
        }
        if (n < 2) {
            throw new DataException(where + ": expected at least 2 reference instances, found " + n);
        }
        if (k == 0) {
            k = Math.min(10, n - 1);
        }
        Metric metric = config.metric() == null ? Metric.defaultFor(dim) : config.metric();
        LOG.info("knn: metric {} ({}), k = {}, {} reference instances of {} features{}", metric.yamlName(),
                config.metric() == null ? "auto: " + dim + (dim > 3 ? " features > 3" : " features <= 3")
                        : "configured", k, n, dim, config.standardize() ? ", columns standardised" : "");
        float[] mean = null;
        float[] std = null;
        if (config.standardize()) {
            float[][] ms = columnMeanStd(x, n, dim);
            mean = ms[0];
            std = ms[1];
        }
        NeighbourSearch search = new NeighbourSearch(metric, x, n, dim, false, mean, std, config.blockSize(),
                context);
        try {
            double sf = config.scalingFactor();
            double[] avg = null;
            if (wantScores || Double.isNaN(sf)) {
                avg = trainingAverages(search, x, n, dim, k);
            }
            if (Double.isNaN(sf)) {
                sf = Atypicality.scalingFactor(avg);
            }
            KnnConfig c = config.fitted(k, metric, sf);
            return new Fit(new Fitted(c, shape, n, search, null, mean, std),
                    wantScores ? Atypicality.scores(avg, c.t(), sf, metric) : null);
        } catch (RuntimeException e) {
            search.close();
            throw e;
        }
    }

    /** Average distance of each reference row to its k nearest other rows, with cleanlab's duplicate correction. */
    private static double[] trainingAverages(NeighbourSearch search, float[] x, int n, int dim, int k) {
        int[] self = new int[n];
        for (int i = 0; i < n; i++) {
            self[i] = i;
        }
        // the exact-duplicate scan is Java work that overlaps TensorFlow's self-search
        java.util.concurrent.CompletableFuture<List<int[]>> duplicates =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> Duplicates.sets(x, n, dim));
        double[] avg = search.searchReference(k + 1).meanDistances(k, self);
        List<int[]> sets = duplicates.join();
        if (!sets.isEmpty()) {
            correctDuplicates(search, x, dim, k, sets, avg);
        }
        return avg;
    }

    /**
     * cleanlab's {@code correct_knn_distances_and_indices}: a row with s − 1 exact duplicates has them as its first
     * m = min(s − 1, k) neighbours at distance 0, followed by its k − m nearest rows that are not duplicates.
     */
    private static void correctDuplicates(NeighbourSearch search, float[] x, int dim, int k, List<int[]> sets,
            double[] avg) {
        int rows = 0;
        int widest = 0;
        for (int[] set : sets) {
            if (set.length - 1 < k) {
                rows += set.length;
                widest = Math.max(widest, set.length);
            } else {
                for (int r : set) {
                    avg[r] = 0;
                }
            }
        }
        if (rows == 0) {
            return;
        }
        float[] q = new float[rows * dim];
        int at = 0;
        for (int[] set : sets) {
            if (set.length - 1 < k) {
                for (int r : set) {
                    System.arraycopy(x, r * dim, q, at * dim, dim);
                    at++;
                }
            }
        }
        Neighbours nb = search.search(q, 0, rows, k + widest);
        at = 0;
        for (int[] set : sets) {
            if (set.length - 1 >= k) {
                continue;
            }
            int keep = k - (set.length - 1);
            for (int r : set) {
                double sum = 0;
                int used = 0;
                for (int j = 0; j < nb.count(at) && used < keep; j++) {
                    if (java.util.Arrays.binarySearch(set, nb.index(at, j)) < 0) {
                        sum += nb.distance(at, j);
                        used++;
                    }
                }
                avg[r] = sum / k;
                at++;
            }
        }
    }

    private static float[][] columnMeanStd(float[] x, int n, int dim) {
        double[] sum = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                sum[j] += x[i * dim + j];
            }
        }
        float[] mean = new float[dim];
        double[] sq = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                double d = x[i * dim + j] - sum[j] / n;
                sq[j] += d * d;
            }
        }
        float[] std = new float[dim];
        for (int j = 0; j < dim; j++) {
            mean[j] = (float) (sum[j] / n);
            double s = Math.sqrt(sq[j] / n);
            std[j] = s == 0 || (float) s == 0f ? 1f : (float) s;
        }
        return new float[][] {mean, std};
    }

    private static void checkShape(Shape expected, Shape found) {
        if (!expected.equals(found)) {
            throw new DataException("knn: expected instance shape " + expected + ", found " + found);
        }
    }

    private static void checkFinite(float[] x, int n, int dim, String where) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new DataException(where + ": row " + (i / dim) + ", column " + (i % dim)
                        + ": expected a finite value, found " + x[i]);
            }
        }
    }

    @Override
    public Map<String, Object> hyperParameters() {
        return config().toMap();
    }
    @Override
    protected void write(Path modelDir, Fitted f) {
        KnnModelFiles.write(modelDir, f);
    }
}
