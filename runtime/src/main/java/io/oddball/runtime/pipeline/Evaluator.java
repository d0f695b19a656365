package io.oddball.runtime.pipeline;

import static java.util.Objects.requireNonNull;

import io.oddball.api.AlternativeScores;
import io.oddball.api.DetectorContext;
import io.oddball.api.Params;
import io.oddball.api.Progress;
import io.oddball.api.ThresholdStrategy;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.error.ConfigException;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.eval.Evaluation;
import io.oddball.runtime.eval.EvaluationResult;
import io.oddball.runtime.plugin.Kind;
import io.oddball.runtime.plugin.Providers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores data with a fitted pipeline, streamed in batches with progress and Ctrl-C: to set its threshold (Alibi's
 * {@code infer_threshold}, or any threshold strategy) or to measure it on normal data and outliers.
 */
public final class Evaluator {
    private final Providers providers;

    /** @param providers the threshold strategies to choose from */
    public Evaluator(Providers providers) {
        this.providers = requireNonNull(providers, "providers is null");
    }

    /**
     * Sets the threshold of {@code pipeline} with the strategy {@code strategySpec} on the scores (and labels) of
     * {@code data} and returns it, recording {@code inferredOn} (how the data were read, e.g.
     * {@code data.npy -O limit=1000}; null: the data's name) as the data it was inferred on.
     */
    public double inferThreshold(Pipeline pipeline, Dataset data, ComponentSpec strategySpec, int batchSize,
            DetectorContext context, String inferredOn) {
        ThresholdStrategyProvider tp = providers.thresholds().get(strategySpec.type());
        if (tp == null) {
            throw new ConfigException("threshold type: expected one of " + providers.plugins().names(Kind.THRESHOLD)
                    + ", found '" + strategySpec.type() + "'");
        }
        Params p = Params.of(strategySpec.params(), "threshold", null);
        ThresholdStrategy strategy = tp.create(p);
        p.finish();
        Pipeline.LabelledScores ls;
        try (Progress progress = RuntimeContext.scoring(context, "infer-threshold", RuntimeContext.total(data))) {
            ls = pipeline.scoreAll(data, batchSize, context::stopRequested, progress);
        }
        if (strategy.needsLabels() && ls.labels() == null) {
            throw new ConfigException(data.name() + ": threshold '" + strategySpec.type()
                    + "' needs labels (1 = outlier), found none");
        }
        double t = strategy.threshold(ls.scores(), ls.labels());
        pipeline.setThreshold(t, strategySpec, pipeline.info().withThresholdData(inferredOn != null ? inferredOn
                : data.name()));
        return t;
    }

    /**
     * Scores {@code in} (normal, label 0) and {@code ood} (outliers, label 1) with the pipeline and computes the
     * metrics at its threshold ({@code score > threshold} = outlier). When the detector offers
     * {@link AlternativeScores} (the LLR detector's plain likelihood), their threshold-free metrics are computed on the
     * same batches.
     */
    public EvaluationResult evaluate(Pipeline pipeline, Dataset in, Dataset ood, int batchSize,
            DetectorContext context) {
        Map<String, List<float[]>> altIn = new LinkedHashMap<>();
        Map<String, List<float[]>> altOod = new LinkedHashMap<>();
        float[] a;
        float[] b;
        try (Progress progress = RuntimeContext.scoring(context, "evaluate", RuntimeContext.total(in, ood))) {
            a = scoreWithAlternatives(pipeline, in, batchSize, context, progress, altIn);
            b = scoreWithAlternatives(pipeline, ood, batchSize, context, progress, altOod);
        }
        Map<String, Evaluation> alternatives = new LinkedHashMap<>();
        for (String name : altIn.keySet()) {
            if (altOod.containsKey(name)) {
                alternatives.put(name, labelled(concat(altIn.get(name)), concat(altOod.get(name)),
                        Double.POSITIVE_INFINITY));
            }
        }
        return new EvaluationResult(labelled(a, b, pipeline.threshold()), a, b, alternatives);
    }

    /** The parts one after the other. */
    public static float[] concat(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static Evaluation labelled(float[] a, float[] b, double threshold) {
        float[] all = new float[a.length + b.length];
        int[] labels = new int[all.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.fill(labels, a.length, all.length, 1);
        return Evaluation.of(all, labels, threshold);
    }

    private static float[] scoreWithAlternatives(Pipeline pipeline, Dataset data, int batchSize,
            DetectorContext context, Progress progress, Map<String, List<float[]>> alternatives) {
        if (!(pipeline.detector() instanceof AlternativeScores alt)) {
            return pipeline.scoreAll(data, batchSize, context::stopRequested, progress).scores();
        }
        List<float[]> parts = new ArrayList<>();
        pipeline.scoreStream(data, batchSize, context::stopRequested, progress, sb -> {
            parts.add(sb.instanceScores());
            Batch x = pipeline.prepare(sb.batch());
            Map<String, float[]> scores = pipeline.withLoader(() -> alt.alternativeScores(x));
            scores.forEach((name, v) -> alternatives.computeIfAbsent(name, k -> new ArrayList<>()).add(v));
        });
        return concat(parts);
    }
}
