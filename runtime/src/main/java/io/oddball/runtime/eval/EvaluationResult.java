package io.oddball.runtime.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores of normal data and of outliers with the metrics at the pipeline's threshold.
 *
 * @param metrics AUROC, AUPR, FPR at 95 % TPR, confusion matrix, F1, accuracy, precision, recall
 * @param inScores instance scores of the normal data
 * @param oodScores instance scores of the outliers
 * @param alternatives the threshold-free metrics of each alternative score the detector offers, by name
 */
public record EvaluationResult(Evaluation metrics, float[] inScores, float[] oodScores,
        Map<String, Evaluation> alternatives) {
    public EvaluationResult {
        alternatives = Collections.unmodifiableMap(new LinkedHashMap<>(alternatives));
    }

    /** A result without alternative scores. */
    public EvaluationResult(Evaluation metrics, float[] inScores, float[] oodScores) {
        this(metrics, inScores, oodScores, Map.of());
    }

    /** The metrics as a flat map with the keys of {@code evaluate --json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("auroc", metrics.auroc());
        m.put("aupr", metrics.aupr());
        m.put("fpr95", metrics.fpr95());
        m.put("f1", metrics.f1());
        m.put("accuracy", metrics.accuracy());
        m.put("precision", metrics.precision());
        m.put("recall", metrics.recall());
        m.put("threshold", metrics.threshold());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("tp", metrics.confusion().tp());
        c.put("fp", metrics.confusion().fp());
        c.put("tn", metrics.confusion().tn());
        c.put("fn", metrics.confusion().fn());
        m.put("confusion", c);
        m.put("inCount", inScores.length);
        m.put("oodCount", oodScores.length);
        if (!alternatives.isEmpty()) {
            Map<String, Object> alt = new LinkedHashMap<>();
            alternatives.forEach((name, e) -> {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("auroc", e.auroc());
                a.put("aupr", e.aupr());
                a.put("fpr95", e.fpr95());
                alt.put(name, a);
            });
            m.put("alternatives", alt);
        }
        return m;
    }
}
