package io.oddball.detector.knn;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The KNN detector's parameters (YAML keys in brackets). Features mode: {@code k} (0 = cleanlab's default
 * min(10, N − 1)), {@code metric} (null = cleanlab's rule), {@code t}, {@code standardize}, {@code blockSize} and
 * an optional fixed {@code scalingFactor} (NaN = the median average training distance, as cleanlab). Pred-probs mode:
 * {@code method}, {@code adjustPredProbs}, {@code M}, {@code gamma}.
 *
 * @param mode {@code features} or {@code pred-probs} ({@code mode})
 * @param k neighbours averaged, 0 for the default ({@code k})
 * @param metric distance, null for cleanlab's rule: cosine above 3 features, else euclidean ({@code metric})
 * @param t temperature of {@code exp(-t · avg / scalingFactor)} ({@code t})
 * @param standardize whether to standardise columns with the reference's mean and std ({@code standardize})
 * @param blockSize most distances one TensorFlow run may hold ({@code blockSize})
 * @param scalingFactor a fixed scaling factor, or NaN to compute it at fit ({@code scalingFactor})
 * @param method pred-probs score ({@code method})
 * @param adjustPredProbs whether to adjust by the class confident thresholds ({@code adjustPredProbs})
 * @param m GEN's number of top classes ({@code M})
 * @param gamma GEN's exponent ({@code gamma})
 */
public record KnnConfig(Mode mode, int k, Metric metric, double t, boolean standardize, long blockSize,
        double scalingFactor, PredProbsMethod method, boolean adjustPredProbs, int m, double gamma) {

    /** Default {@code blockSize}: 16 M distances (64 MiB of float32) per run. */
    public static final long DEFAULT_BLOCK_SIZE = 1L << 24;
    /** Largest {@code blockSize}: 64 M distances (256 MiB of float32) per run; 2^27 took 1.9 GB at 40 000 references. */
    public static final long MAX_BLOCK_SIZE = 1L << 26;

    /** What the data rows are. */
    public enum Mode {
        /** Embeddings / feature rows: k-nearest-neighbour distances. */
        FEATURES("features"),
        /** A classifier's predicted probabilities, with the given labels at fit. */
        PRED_PROBS("pred-probs");

        private final String yamlName;

        Mode(String yamlName) {
            this.yamlName = yamlName;
        }

        /** The YAML value. */
        public String yamlName() {
            return yamlName;
        }
    }

    /** How pred-probs mode scores a row of (adjusted) probabilities, as cleanlab's {@code method}. */
    public enum PredProbsMethod {
        /** 1 − normalised entropy. */
        ENTROPY,
        /** The largest probability. */
        LEAST_CONFIDENCE,
        /** GEN (Liu et al. 2023): 1 − Σ p^γ (1 − p)^γ / M over the top M softmax values. */
        GEN;

        /** The YAML value. */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** cleanlab's defaults. */
    public static final KnnConfig DEFAULTS = new KnnConfig(Mode.FEATURES, 0, null, 1.0, false, DEFAULT_BLOCK_SIZE,
            Double.NaN, PredProbsMethod.ENTROPY, true, 100, 0.1);

    /** Checks the values; callers that read YAML report problems through {@link Params} instead. */
    public KnnConfig {
        if (mode == null || method == null) {
            throw new IllegalArgumentException("mode and method must not be null");
        }
        if (k < 0 || !(t > 0) || blockSize < 1 || m < 1 || !(gamma > 0)
                || !(Double.isNaN(scalingFactor) || scalingFactor > 0)) {
            throw new IllegalArgumentException("invalid KNN parameters: " + this);
        }
    }

    /** The schema of {@link #from}. */
    public static ConfigSchema schema() {
        return ConfigSchema.of(
                new ConfigSchema.Param("mode", "string", "features", "features or pred-probs"),
                new ConfigSchema.Param("k", "int", "", "neighbours averaged; default min(10, N - 1)"),
                new ConfigSchema.Param("metric", "string", "auto",
                        "auto (cosine above 3 features, else euclidean), cosine or euclidean"),
                new ConfigSchema.Param("t", "double", "1", "score = exp(-t * avgDistance / scalingFactor)"),
                new ConfigSchema.Param("standardize", "boolean", "false",
                        "standardise columns with the reference's mean and std (tabular rows)"),
                new ConfigSchema.Param("blockSize", "int", String.valueOf(DEFAULT_BLOCK_SIZE),
                        "most distances computed per TensorFlow run (bounds memory)"),
                new ConfigSchema.Param("scalingFactor", "double", "",
                        "fixed scaling factor; default the median average k-NN distance of the reference"),
                new ConfigSchema.Param("method", "string", "entropy",
                        "pred-probs: entropy, least_confidence or gen"),
                new ConfigSchema.Param("adjustPredProbs", "boolean", "true",
                        "pred-probs: adjust by per-class confident thresholds (needs labels at fit)"),
                new ConfigSchema.Param("M", "int", "100", "pred-probs gen: number of top classes"),
                new ConfigSchema.Param("gamma", "double", "0.1", "pred-probs gen: exponent"));
    }

    /** Reads the parameters of the chosen mode, recording out-of-range values as problems of {@code p}. */
    public static KnnConfig from(Params p) {
        KnnConfig d = DEFAULTS;
        String modeName = p.getChoice("mode", d.mode().yamlName(), List.of("features", "pred-probs"));
        Mode mode = "pred-probs".equals(modeName) ? Mode.PRED_PROBS : Mode.FEATURES;
        if (mode == Mode.FEATURES) {
            int problemsBefore = p.problems().size();
            int k = p.getInt("k", 0);
            boolean wrongType = p.problems().size() > problemsBefore;
            // a value of the wrong type is reported once, by getInt, not again as the fallback 0
            if (!wrongType && (k < 0 || (p.has("k") && k == 0))) {
                p.problem("k", "an integer >= 1", k);
                k = 0;
            }
            String metricName = p.getChoice("metric", "auto", List.of("auto", "cosine", "euclidean"));
            Metric metric = "auto".equals(metricName) ? null : Metric.valueOf(metricName.toUpperCase(Locale.ROOT));
            double t = p.getDouble("t", d.t());
            if (!(t > 0) || Double.isInfinite(t)) {
                p.problem("t", "a number > 0", t);
                t = d.t();
            }
            boolean standardize = p.getBoolean("standardize", false);
            long blockSize = p.getLong("blockSize", DEFAULT_BLOCK_SIZE);
            if (blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
                // above the cap one run's distances (and TensorFlow's copies of them) take gigabytes:
                // blockSize 2^31-1 took 4 GB to fit 40 000 references
                p.problem("blockSize", "an integer from 1 to " + MAX_BLOCK_SIZE + " (distances per run; 256 MiB of "
                        + "float32)", blockSize);
                blockSize = DEFAULT_BLOCK_SIZE;
            }
            double sf = p.getDouble("scalingFactor", Double.NaN);
            if (p.has("scalingFactor") && !(sf > 0 && Double.isFinite(sf))) {
                p.problem("scalingFactor", "a number > 0", sf);
                sf = Double.NaN;
            }
            return new KnnConfig(mode, k, metric, t, standardize, blockSize, sf, d.method(), d.adjustPredProbs(),
                    d.m(), d.gamma());
        }
        String methodName = p.getChoice("method", "entropy", List.of("entropy", "least_confidence", "gen"));
        PredProbsMethod method = PredProbsMethod.valueOf(methodName.toUpperCase(Locale.ROOT));
        boolean adjust = p.getBoolean("adjustPredProbs", true);
        int m = p.getInt("M", d.m());
        if (m < 1) {
            p.problem("M", "an integer >= 1", m);
            m = d.m();
        }
        double gamma = p.getDouble("gamma", d.gamma());
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            p.problem("gamma", "a number > 0", gamma);
            gamma = d.gamma();
        }
        return new KnnConfig(mode, 0, null, d.t(), false, d.blockSize(), Double.NaN, method, adjust, m, gamma);
    }

    /** The parameters of this mode as plain Java values, readable by {@link #from}. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", mode.yamlName());
        if (mode == Mode.FEATURES) {
            if (k > 0) {
                out.put("k", k);
            }
            out.put("metric", metric == null ? "auto" : metric.yamlName());
            out.put("t", t);
            out.put("standardize", standardize);
            out.put("blockSize", blockSize);
            if (!Double.isNaN(scalingFactor)) {
                out.put("scalingFactor", scalingFactor);
            }
        } else {
            out.put("method", method.yamlName());
            out.put("adjustPredProbs", adjustPredProbs);
            out.put("M", m);
            out.put("gamma", gamma);
        }
        return out;
    }

    /** This configuration with {@code k}, {@code metric} and {@code scalingFactor} fixed to fitted values. */
    KnnConfig fitted(int fittedK, Metric fittedMetric, double fittedScalingFactor) {
        return new KnnConfig(mode, fittedK, fittedMetric, t, standardize, blockSize, fittedScalingFactor, method,
                adjustPredProbs, m, gamma);
    }
}
