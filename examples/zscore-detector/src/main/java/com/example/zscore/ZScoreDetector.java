package com.example.zscore;

import static java.util.Objects.requireNonNull;

import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.Progress;
import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.error.OddballException;
import io.oddball.api.result.Scores;
import io.oddball.tf.StatefulDetector;
import java.nio.file.Path;
import java.util.Map;

/**
 * Squared z-scores: {@link #fit} learns each feature's mean μ and variance σ² on normal data; {@link #score} gives
 * every feature of an instance the score {@code (x − μ)² / (σ² + epsilon)}. The pipeline's scorer turns them into
 * the instance score (the default, the mean over all features, is the squared diagonal Mahalanobis distance divided
 * by the number of features). The arithmetic runs in TensorFlow ({@link ZScoreGraph}).
 *
 * <p>Thread-safe after fit: {@link #score} may run on many threads; {@link #close} waits for running scores.
 */
public final class ZScoreDetector extends StatefulDetector<ZScoreDetector.Fitted> {
    private final ZScoreConfig config;
    private final DetectorContext context;

    /**
     * What fit learns. {@code scale} = 1 / sqrt(variance + epsilon), derived from the saved float32 variance, so that
     * a loaded detector scores exactly as the fitted one did.
     */
    record Fitted(Shape inputShape, long count, float[] mean, float[] variance, float[] scale, ZScoreGraph graph) {
    }

    /** An unfitted detector. */
    public ZScoreDetector(ZScoreConfig config, DetectorContext context) {
        this(config, null, context);
    }

    /** A fitted detector (see {@link ZScoreModelFiles#read}). */
    ZScoreDetector(ZScoreConfig config, Fitted fitted, DetectorContext context) {
        super(ZScoreDetectorProvider.NAME, fitted, f -> f.graph().close());
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    protected Shape inputShape(Fitted f) {
        return f.inputShape();
    }

    @Override
    public boolean hasFeatureScores() {
        return true;
    }

    /** The mean of each feature (a copy); for tests and curious users. */
    public float[] mean() {
        return state.read(f -> f.mean().clone());
    }

    /** The variance of each feature (population variance, as numpy's {@code var}; a copy). */
    public float[] variance() {
        return state.read(f -> f.variance().clone());
    }

    /**
     * One pass over the data: TensorFlow sums each batch's rows minus the first row seen (a shift that keeps the
     * variance exact when values are large next to their spread), Java adds the sums up in double.
     */
    @Override
    public void fit(Dataset data, FitOptions options) {
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        state.fit(() -> {
            Shape shape = data.instanceShape();
            int dim = (int) shape.size();
            ZScoreGraph graph = new ZScoreGraph(dim, context);
            try {
                float[] shift = null;
                double[] sum = new double[dim];
                double[] sumOfSquares = new double[dim];
                long n = 0;
                try (Progress progress = context.progress("zscore: fit", data.size().orElse(-1), "instances");
                        BatchIterator it = data.batches(options.batchSize())) {
                    while (it.hasNext()) {
                        if (context.stopRequested()) {
                            throw new OddballException("zscore: stopped by the user");
                        }
                        Batch b = it.next();
                        if (b.size() == 0) {
                            continue;
                        }
                        float[] rows = b.toArray();
                        if (shift == null) {
                            shift = java.util.Arrays.copyOf(rows, dim);
                        }
                        double[][] s = graph.sums(rows, b.size(), shift);
                        for (int j = 0; j < dim; j++) {
                            sum[j] += s[0][j];
                            sumOfSquares[j] += s[1][j];
                        }
                        n += b.size();
                        progress.step(b.size());
                    }
                }
                if (n == 0) {
                    throw new DataException("zscore: " + data.name() + ": expected at least 1 instance, found none");
                }
                float[] mean = new float[dim];
                float[] variance = new float[dim];
                for (int j = 0; j < dim; j++) {
                    double m = sum[j] / n;
                    mean[j] = (float) (shift[j] + m);
                    variance[j] = (float) Math.max(0, sumOfSquares[j] / n - m * m);
                    if (!Float.isFinite(mean[j]) || !Float.isFinite(variance[j])) {
                        throw new DataException("zscore: " + data.name() + ": feature " + j
                                + ": expected finite values, found a mean of " + mean[j] + " and a variance of "
                                + variance[j]);
                    }
                }
                return new Fitted(shape, n, mean, variance, scale(variance, config.epsilon()), graph);
            } catch (RuntimeException e) {
                graph.close();
                throw e;
            }
        });
    }

    /** {@code 1 / sqrt(variance + epsilon)} per feature, in double then rounded to float32. */
    static float[] scale(float[] variance, double epsilon) {
        float[] s = new float[variance.length];
        for (int j = 0; j < s.length; j++) {
            s[j] = (float) (1.0 / Math.sqrt(variance[j] + epsilon));
        }
        return s;
    }

    @Override
    public Scores score(Batch batch) {
        requireNonNull(batch, "batch is null");
        return state.read(f -> {
            if (!f.inputShape().equals(batch.instanceShape())) {
                throw new DataException("zscore: expected instances of shape " + f.inputShape() + ", found "
                        + batch.instanceShape());
            }
            float[] scores = batch.size() == 0 ? new float[0]
                    : f.graph().featureScores(batch.toArray(), batch.size(), f.mean(), f.scale());
            // feature scores only: the pipeline's scorer makes the instance scores
            return Scores.ofFeatures(batch.size(), f.inputShape(), scores, null);
        });
    }

    @Override
    public Map<String, Object> hyperParameters() {
        return config.toMap();
    }
    @Override
    protected void write(Path modelDir, Fitted f) {
        ZScoreModelFiles.write(modelDir, f);
    }
}
