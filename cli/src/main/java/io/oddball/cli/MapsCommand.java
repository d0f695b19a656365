package io.oddball.cli;

import io.oddball.api.error.ConfigException;
import io.oddball.report.FeatureMapWriter;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.data.NanPolicy;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.output.OutputFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oddball maps DIR --data FILE --out OUTDIR}: per-value maps of images as PNG files. */
@Command(name = "maps", mixinStandardHelpOptions = true,
        description = "Draw a detector's per-value maps (llr: log-probability under the semantic and the background "
                + "model, and their difference llr) of images of --data: one PNG per image, OUTDIR/map-<index>.png, "
                + "with the input and each map on its own colour scale.")
final class MapsCommand extends OddballSubcommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "A saved detector with maps (from 'oddball fit').")
    private Path dir;

    @Option(names = {"-d", "--data"}, required = true, paramLabel = "FILE", description = "The images.")
    private Path data;

    @Option(names = "--limit", defaultValue = "8", paramLabel = "N",
            description = "How many images, from --offset (default ${DEFAULT-VALUE}).")
    private int limit;

    @Option(names = "--offset", defaultValue = "0", paramLabel = "K",
            description = "Index of the first image (default ${DEFAULT-VALUE}).")
    private long offset;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUTDIR",
            description = "The folder to write map-<index>.png into (created if needed).")
    private Path out;

    @Mixin
    private DataOptions dataOptions;

    @Override
    public Integer call() {
        dataOptions.check();
        DataOptions.requireExists("--data", data);
        if (limit < 1) {
            throw new ConfigException("--limit: expected an integer >= 1, found " + limit);
        }
        if (offset < 0) {
            throw new ConfigException("--offset: expected an integer >= 0, found " + offset);
        }
        java.util.List<OutputFiles.Input> inputs = dataOptions.inputs("--data", data, dir);
        inputs.addAll(root.pluginInputs());
        OutputFiles.checkFolder("--out", out, inputs);
        Oddball o = root.oddball();
        RuntimeContext ctx = root.context();
        try (Pipeline p = o.load(dir, ctx)) {
            NanPolicy.Filtered ds = dataOptions.open(o, p, data);
            FeatureMapWriter.Maps maps = new FeatureMapWriter().writeMaps(p, ds, offset, limit,
                    dataOptions.batchSize, out, ctx::stopRequested);
            PrintWriter w = stdout();
            String note = DataOptions.note(ds);
            if (note != null) {
                w.println(note);
            }
            maps.files().forEach(f -> w.println(f.toAbsolutePath()));
            w.printf("%d map images written to %s (input, %s)%n", maps.files().size(), out.toAbsolutePath(),
                    String.join(", ", maps.maps()));
        }
        return ExitCodes.OK;
    }
}
