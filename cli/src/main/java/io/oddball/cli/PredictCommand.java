package io.oddball.cli;

import io.oddball.api.Progress;
import io.oddball.runtime.data.NanPolicy;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.output.PredictionWriter;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.api.error.ConfigException;
import io.oddball.runtime.output.OutputFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oddball predict DIR --data FILE --out FILE}: scores data with a saved detector and flags outliers. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score data with a saved detector; write index, instance score and outlier flag per instance.")
final class PredictCommand extends SavedDetectorCommand {
    @Option(names = {"-d", "--data"}, required = true, paramLabel = "FILE", description = "The data to score.")
    private Path data;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "Output file: .csv (index,instance_score,is_outlier), .json or .npy; written to a temporary "
                    + "file beside it, then renamed. '-' writes CSV (or --output-format json) to standard output.")
    private Path out;

    @Option(names = "--output-format", paramLabel = "csv|json|npy",
            description = "Output format; default: from the --out extension.")
    private PredictionWriter.Format outputFormat;

    @Mixin
    private DataOptions dataOptions;


    @Override
    public Integer call() {
        DataOptions d = dataOptions;
        d.check();
        DataOptions.requireExists("--data", data);
        boolean toStdout = out.toString().equals("-");
        PredictionWriter.Format f = outputFormat != null ? outputFormat
                : toStdout ? PredictionWriter.Format.CSV : PredictionWriter.Format.fromPath(out);
        if (toStdout && f == PredictionWriter.Format.NPY) {
            throw new ConfigException("--out -: expected csv or json for standard output, found npy (binary); give "
                    + "a file name ending in .npy");
        }
        List<OutputFiles.Input> inputs = d.inputs("--data", data, dir);
        inputs.addAll(root.pluginInputs());
        Path target = toStdout ? null : OutputFiles.checkFile("--out", out, inputs);
        Oddball o = root.oddball();
        RuntimeContext ctx = root.context();
        try (Pipeline p = o.load(dir, ctx)) {
            NanPolicy.Filtered ds = d.open(o, p, data);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("detector", p.detectorName());
            meta.put("version", p.detectorVersion());
            meta.put("threshold", p.threshold());
            meta.put("outlierType", "instance");
            meta.put("data", ds.name());
            double t = p.threshold();
            long[] flagged = {0};
            PrintWriter summary = toStdout ? stderr() : stdout();
            try (PredictionWriter w = toStdout ? PredictionWriter.toStream(stdout(), f, meta)
                    : new PredictionWriter(target, f, meta)) {
                long n;
                PrintWriter stdout = stdout();
                try (Progress progress = RuntimeContext.scoring(ctx, "predict", RuntimeContext.total(ds))) {
                    n = p.scoreStream(ds, d.batchSize, ctx::stopRequested, progress, sb -> {
                        float[] s = sb.instanceScores();
                        for (int i = 0; i < s.length; i++) {
                            boolean o1 = s[i] > t;
                            flagged[0] += o1 ? 1 : 0;
                            w.write(ds.sourceIndex(sb.batch(), i), s[i], o1);
                        }
                        if (toStdout && stdout.checkError()) {
                            throw new StdoutLost(); // a closed pipe or a full disk: no point scoring the rest
                        }
                    });
                } catch (StdoutLost e) {
                    return ExitCodes.FAILURE; // Main.checkedOut says so in one line; no summary claiming success
                }
                w.commit();
                if (toStdout && stdout.checkError()) {
                    return ExitCodes.FAILURE;
                }
                String note = DataOptions.note(ds);
                if (note != null) {
                    summary.println(note);
                }
                summary.printf("%d instances scored, %d outliers (%.2f %%) above threshold %s; "
                        + "wrote %s%n", n, flagged[0], 100.0 * flagged[0] / n, t, toStdout ? "standard output" : out);
            }
        }
        return ExitCodes.OK;
    }

    /** Standard output could not be written ({@code --out -}): scoring stops; the error is reported once, by Main. */
    private static final class StdoutLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StdoutLost() {
            super(null, null, false, false);
        }
    }
}
