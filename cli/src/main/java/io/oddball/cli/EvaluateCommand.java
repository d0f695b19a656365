package io.oddball.cli;

import io.oddball.api.AlternativeScores;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.data.NanPolicy;
import io.oddball.runtime.eval.EvaluationResult;
import io.oddball.runtime.output.DisplayPath;
import io.oddball.runtime.output.Json;
import io.oddball.runtime.pipeline.Pipeline;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oddball evaluate DIR --in FILE --ood FILE}: detection quality on normal data vs outliers. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score normal data (--in) and outliers (--ood) with a saved detector and print AUROC, AUPR, "
                + "FPR at 95 %% TPR, and F1, accuracy, precision, recall and the confusion matrix at its threshold.")
final class EvaluateCommand extends SavedDetectorCommand {
    @Mixin
    private InOodOptions data;

    @Option(names = "--json", description = "Print JSON (keys auroc, aupr, fpr95, f1, accuracy, precision, recall, "
            + "threshold, confusion) instead of a table.")
    private boolean json;

    @Override
    public Integer call() {
        data.check();
        Oddball o = root.oddball();
        RuntimeContext ctx = root.context();
        try (Pipeline p = o.load(dir, ctx)) {
            NanPolicy.Filtered inData = data.openIn(o, p);
            NanPolicy.Filtered oodData = data.openOod(o, p);
            EvaluationResult r = o.evaluate(p, inData, oodData, data.shared.batchSize, ctx);
            PrintWriter out = stdout();
            if (json) {
                Map<String, Object> m = new java.util.LinkedHashMap<>(r.toMap());
                String score = scoreName(p);
                if (score != null) {
                    m.put("score", score);
                }
                out.println(Json.write(m));
            } else {
                print(out, p, r, inData.name(), oodData.name());
            }
            for (NanPolicy.Filtered d : new NanPolicy.Filtered[] {inData, oodData}) {
                String note = DataOptions.note(d);
                if (note != null) {
                    stderr().println("oddball: " + note);
                }
            }
        }
        return ExitCodes.OK;
    }

    /** The name of the detector's own score where it has several ({@link AlternativeScores#scoreName()}), or null. */
    static String scoreName(Pipeline p) {
        return p.detector() instanceof AlternativeScores a ? a.scoreName() : null;
    }

    /** A readable table of the metrics. */
    static void print(PrintWriter out, Pipeline p, EvaluationResult r, String in, String ood) {
        Map<String, Object> m = r.toMap();
        out.printf("detector  %s %s%n", p.detectorName(), p.detectorVersion());
        out.printf("in        %s (%d instances)%nood       %s (%d instances)%n", DisplayPath.of(in),
                r.inScores().length, DisplayPath.of(ood), r.oodScores().length);
        String score = scoreName(p);
        out.printf("%n%sAUROC     %.4f%nAUPR      %.4f%nFPR@95TPR %.4f%n", score == null ? "" : "score '" + score
                + "':%n".formatted(), r.metrics().auroc(), r.metrics().aupr(), r.metrics().fpr95());
        r.alternatives().forEach((name, e) -> out.printf(
                "%nalternative score '%s':%nAUROC     %.4f%nAUPR      %.4f%nFPR@95TPR %.4f%n", name, e.auroc(),
                e.aupr(), e.fpr95()));
        out.printf("%nat threshold %s:%n", m.get("threshold"));
        out.printf("F1        %.4f%naccuracy  %.4f%nprecision %.4f%nrecall    %.4f%n", r.metrics().f1(),
                r.metrics().accuracy(), r.metrics().precision(), r.metrics().recall());
        var c = r.metrics().confusion();
        out.printf("%nconfusion          predicted in  predicted out%n");
        out.printf("  actually in      %12d  %13d%n", c.tn(), c.fp());
        out.printf("  actually out     %12d  %13d%n", c.fn(), c.tp());
    }
}
