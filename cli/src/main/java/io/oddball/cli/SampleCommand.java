package io.oddball.cli;

import io.oddball.api.error.ConfigException;
import io.oddball.report.FeatureMapWriter;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.output.OutputFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oddball sample DIR --out FILE.png}: images drawn from one of a detector's models, as a PNG grid. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Draw --n images from one of a saved detector's generative models (llr: semantic or "
                + "background; one model run per pixel, so this takes a while) and write them as one PNG grid.")
final class SampleCommand extends OddballSubcommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "A saved detector that samples (from 'oddball fit').")
    private Path dir;

    @Option(names = "--n", defaultValue = "16", paramLabel = "N",
            description = "How many images (default ${DEFAULT-VALUE}).")
    private int n;

    @Option(names = "--model", paramLabel = "NAME",
            description = "The model to sample (llr: semantic or background); default: the detector's first.")
    private String model;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the draws (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.png", description = "The PNG file to write.")
    private Path out;

    @Override
    public Integer call() {
        if (n < 1) {
            throw new ConfigException("--n: expected an integer >= 1, found " + n);
        }
        String name = out.getFileName() == null ? "" : out.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".png") || Files.isDirectory(out)) {
            throw new ConfigException("--out: expected a .png file, found '" + out + "'");
        }
        List<OutputFiles.Input> inputs = new java.util.ArrayList<>(root.pluginInputs());
        inputs.add(DataOptions.detector(dir));
        Path target = OutputFiles.checkFile("--out", out, inputs);
        Oddball o = root.oddball();
        RuntimeContext ctx = root.context();
        try (Pipeline p = o.load(dir, ctx)) {
            List<String> models = FeatureMapWriter.sampleModels(p);
            if (model != null && !models.contains(model)) { // --model Background as background
                model = models.stream().filter(m -> m.equalsIgnoreCase(model)).findFirst().orElse(model);
            }
            if (model != null && !models.contains(model)) {
                throw new ConfigException("--model: expected one of " + String.join(", ", models) + ", found '"
                        + model + "'");
            }
            FeatureMapWriter.Samples s = new FeatureMapWriter().writeSamples(p, model, n, seed, target);
            stdout().printf("%d samples of the %s model (%s) written to %s%n", s.n(), s.model(),
                    s.shape(), s.file().toAbsolutePath());
        }
        return ExitCodes.OK;
    }
}
