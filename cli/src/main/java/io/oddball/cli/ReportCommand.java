package io.oddball.cli;

import io.oddball.api.data.Dataset;
import io.oddball.report.ReportWriter;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.output.OutputFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oddball report DIR --in FILE --ood FILE --out report.html}: an HTML report with plots. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Score normal data (--in) and outliers (--ood) with a saved detector and write one "
                + "self-contained HTML report: metrics, instance scores against the threshold, score histograms, "
                + "ROC and precision-recall curves, and the top outlier images (with reconstruction and feature-score "
                + "heat map where the detector has them), and for detectors with per-value maps or samples (llr) "
                + "the maps of the top outliers and a few samples.")
final class ReportCommand extends SavedDetectorCommand {
    @Mixin
    private InOodOptions data;

    @Option(names = {"-o", "--out"}, defaultValue = "report.html", paramLabel = "FILE",
            description = "The HTML file to write (default ${DEFAULT-VALUE}).")
    private Path out;

    @Mixin
    private PngOption png;

    @Option(names = "--top", defaultValue = "12", paramLabel = "N",
            description = "How many top outliers to show as images (image data only; default ${DEFAULT-VALUE}).")
    private int top;

    @Option(names = "--samples", defaultValue = "8", paramLabel = "N",
            description = "Detectors that sample (llr): how many images to draw for the samples section, images up "
                    + "to 32x32 only (0 for none; default ${DEFAULT-VALUE}).")
    private int samples;

    @Override
    public Integer call() {
        data.check();
        if (top < 0) {
            throw new io.oddball.api.error.ConfigException("--top: expected an integer >= 0, found " + top);
        }
        if (samples < 0) {
            throw new io.oddball.api.error.ConfigException("--samples: expected an integer >= 0, found " + samples);
        }
        java.util.List<OutputFiles.Input> inputs = data.inputs(dir);
        inputs.addAll(root.pluginInputs());
        Path target = OutputFiles.checkFile("--out", out, inputs);
        png.check(inputs);
        Oddball o = root.oddball();
        RuntimeContext ctx = root.context();
        try (Pipeline p = o.load(dir, ctx)) {
            Dataset inData = data.openIn(o, p);
            Dataset oodData = data.openOod(o, p);
            ReportWriter.Options options = ReportWriter.Options.defaults().withTop(top).withPngDir(png.dir)
                    .withBatchSize(data.shared.batchSize).withSamples(samples);
            ReportWriter.Report r = new ReportWriter().write(p, inData, oodData, options, target, ctx);
            printWritten(stdout(), r, out);
        }
        return ExitCodes.OK;
    }

    /** What was written, and the sections left out. */
    static void printWritten(PrintWriter w, ReportWriter.Report r, Path out) {
        w.printf("report written to %s (AUROC %.4f; sections: %s)%n", out.toAbsolutePath(),
                r.evaluation().metrics().auroc(), String.join(", ", r.sections()));
        r.notes().forEach(n -> w.println("  note: " + n));
        if (!r.pngs().isEmpty()) {
            w.printf("%d PNG files in %s%n", r.pngs().size(), r.pngs().get(0).getParent());
        }
    }
}
