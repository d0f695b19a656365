package io.oddball.cli;

import io.oddball.runtime.data.NanPolicy;
import io.oddball.api.error.ConfigException;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.pipeline.Pipeline;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oddball infer-threshold DIR --data FILE --percent P}: Alibi's {@code infer_threshold}, saved. */
@Command(name = "infer-threshold", mixinStandardHelpOptions = true,
        description = "Set a saved detector's threshold to the P-th percentile of the instance scores of some data "
                + "(numpy linear interpolation), and save it in the detector's detector.yaml.")
final class InferThresholdCommand extends SavedDetectorCommand {
    @Option(names = {"-d", "--data"}, required = true, paramLabel = "FILE",
            description = "Data to infer the threshold on (mostly normal, with the expected share of outliers).")
    private Path data;

    @Option(names = {"-p", "--percent"}, required = true, paramLabel = "P",
            description = "Percentile in [0, 100], e.g. 95 when about 5 %% of the data are outliers.")
    private double percent;

    @Mixin
    private DataOptions dataOptions;

    @Override
    public Integer call() {
        if (!(percent >= 0 && percent <= 100)) {
            throw new ConfigException("--percent: expected a number in [0, 100], found " + percent);
        }
        dataOptions.check();
        DataOptions.requireExists("--data", data);
        Oddball o = root.oddball();
        RuntimeContext ctx = root.context();
        try (Pipeline p = o.load(dir, ctx)) {
            double before = p.threshold();
            NanPolicy.Filtered ds = dataOptions.open(o, p, data);
            double t = o.inferThreshold(p, ds, percent, dataOptions.batchSize, ctx, dataOptions.describe(data));
            o.saveThreshold(p, dir);
            stdout().printf("threshold: %s -> %s (percentile %s of the scores of %s); saved in %s%n",
                    before, t, percent, ds.name(), dir);
            String note = DataOptions.note(ds);
            if (note != null) {
                stdout().println(note);
            }
        }
        return ExitCodes.OK;
    }
}
