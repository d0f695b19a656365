package io.oddball.cli;

import io.oddball.api.data.Dataset;
import io.oddball.report.Charts;
import io.oddball.report.MaskNoise;
import io.oddball.report.PerturbationExperiment;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.output.OutputFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oddball perturb DIR --data FILE}: Alibi's apply_mask experiment, score against mask size. */
@Command(name = "perturb", mixinStandardHelpOptions = true,
        description = "Alibi's perturbation experiment: mask the first --n-images images of --data with --n-masks "
                + "random masks of each size (noise added then clipped, or zeros; in the detector's input space, "
                + "after preprocessing), score every copy, and write the mean instance score per mask size and the "
                + "share flagged per outlierPerc as HTML (table and charts) or CSV.")
final class PerturbCommand extends SavedDetectorCommand {
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Images to perturb.")
    private Path data;

    @Option(names = "--mask-sizes", split = ",", paramLabel = "N|HxW",
            defaultValue = "2,4,6,8,10,12,14,16,18,20",
            description = "Mask sizes, N for NxN or HxW (default ${DEFAULT-VALUE}); each below the image size.")
    private List<String> maskSizes;

    @Option(names = "--n-masks", defaultValue = "10", paramLabel = "N",
            description = "Random masks per image and size (default ${DEFAULT-VALUE}).")
    private int nMasks;

    @Option(names = "--n-images", defaultValue = "50", paramLabel = "N",
            description = "How many images, from the first (default ${DEFAULT-VALUE}).")
    private int nImages;

    @Option(names = "--noise", defaultValue = "uniform", paramLabel = "TYPE",
            description = "uniform (U(a, b) added), normal (N(a, b^2) added: a = mean, b = sd) or zeros (patch set "
                    + "to 0, not clipped); default ${DEFAULT-VALUE}.")
    private String noise;

    @Option(names = "--noise-range", split = ",", defaultValue = "0,1", paramLabel = "A,B",
            description = "uniform: low,high; normal: mean,sd (default ${DEFAULT-VALUE}).")
    private double[] noiseRange;

    @Option(names = "--clip", split = ",", defaultValue = "0,1", paramLabel = "LO,HI",
            description = "Range every value of a noisy copy is clipped to (default ${DEFAULT-VALUE}).")
    private double[] clip;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the masks and the noise (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--outlier-perc", split = ",", defaultValue = "50,75,90,100", paramLabel = "P",
            description = "outlierPerc values of the flagged-share sweep (default ${DEFAULT-VALUE}).")
    private double[] outlierPercs;

    @Option(names = {"-o", "--out"}, defaultValue = "perturb.html", paramLabel = "FILE",
            description = "Where to write: .html (table and charts) or .csv (the table); default ${DEFAULT-VALUE}.")
    private Path out;

    @Mixin
    private PngOption png;

    @Mixin
    private DataOptions dataOptions;

    @Override
    public Integer call() {
        dataOptions.check();
        DataOptions.requireExists("--data", data);
        pair("--noise-range", noiseRange);
        pair("--clip", clip);
        MaskNoise maskNoise = new MaskNoise(MaskNoise.Type.parse(noise), noiseRange[0], noiseRange[1], clip[0],
                clip[1]);
        PerturbationExperiment.Options options = new PerturbationExperiment.Options(
                maskSizes.stream().map(MaskNoise.Size::parse).toList(), nMasks, nImages, maskNoise, seed,
                outlierPercs, dataOptions.batchSize);
        List<OutputFiles.Input> inputs = dataOptions.inputs("--data", data, dir);
        inputs.addAll(root.pluginInputs());
        Path target = OutputFiles.checkFile("--out", out, inputs);
        png.check(inputs);
        Oddball o = root.oddball();
        RuntimeContext ctx = root.context();
        try (Pipeline p = o.load(dir, ctx)) {
            Dataset d = dataOptions.open(o, p, data);
            PerturbationExperiment experiment = new PerturbationExperiment();
            PerturbationExperiment.Result r = experiment.run(p, d, options, ctx);
            List<Path> pngs = experiment.write(r, p.detectorName(), d.name(), target, png.dir, Charts.Size.DEFAULT);
            PrintWriter w = stdout();
            w.print(r.toCsv());
            w.printf("written to %s%s%n", out.toAbsolutePath(), pngs.isEmpty() ? "" : " and " + pngs.size()
                    + " PNG files in " + png.dir);
        }
        return ExitCodes.OK;
    }

    private static void pair(String option, double[] v) {
        if (v.length != 2) {
            throw new io.oddball.api.error.ConfigException(option + ": expected two numbers A,B, found "
                    + v.length);
        }
    }
}
