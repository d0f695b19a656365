package io.oddball.cli;

import io.oddball.api.error.ConfigException;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.eval.EvaluationResult;
import io.oddball.runtime.pipeline.DetectorFolder;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.pipeline.PipelineSpec;
import io.oddball.api.data.Dataset;
import io.oddball.runtime.output.OutputFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oddball fit PIPELINE.yaml --out DIR}: trains a detector from a YAML pipeline and saves it. */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Fit the detector of a YAML pipeline on its training data and save it to a directory.")
final class FitCommand extends OddballSubcommand {
    @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
    private Path pipeline;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
            description = "Where to save the fitted detector: a new or empty folder (see --overwrite).")
    private Path out;

    @Option(names = "--overwrite", description = "Replace the saved detector at --out (atomically: the old one is "
            + "removed once the new one is in place). A folder holding other files is never replaced.")
    private boolean overwrite;

    @Option(names = "--resume", description = "Continue an interrupted fit from its last epoch checkpoint "
            + "(kept in DIR.checkpoint/ by detectors that checkpoint, such as llr; deleted after a completed fit).")
    private boolean resume;

    @Override
    public Integer call() {
        checkOut(out, overwrite);
        Oddball o = root.oddball();
        Path abs = out.toAbsolutePath().normalize();
        Path checkpoints = abs.resolveSibling(abs.getFileName() + ".checkpoint");
        if (resume && !java.nio.file.Files.isDirectory(checkpoints)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--resume: expected a checkpoint "
                    + "folder " + checkpoints + " from an interrupted fit to --out " + out + ", found none");
        }
        RuntimeContext ctx = root.context().withCheckpoints(checkpoints, resume);
        PipelineSpec ps = o.parse(pipeline, ctx);
        try {
            List<OutputFiles.Input> inputs = inputs(ps);
            inputs.addAll(root.pluginInputs());
            OutputFiles.checkFolder("--out", out, inputs);
        } catch (ConfigException e) {
            ps.detector().close();
            if (ps.embed() != null) {
                ps.embed().close();
            }
            throw e;
        }
        try (Pipeline p = o.fit(ps, ctx)) {
            o.save(p, out, overwrite);
            var w = stdout();
            w.printf("fitted '%s' on %s (%d instances); threshold %s = %s%n", p.detectorName(),
                    io.oddball.runtime.output.DisplayPath.of(p.info().trainData()),
                    p.info().trainInstances(), p.thresholdSpec().describe(), p.threshold());
            w.printf("saved to %s%n", out);
            if (ps.hasEvaluation()) {
                w.println();
                EvaluationResult r = o.evaluate(p, ps.evaluateIn(), ps.evaluateOod(), 256, ctx);
                EvaluateCommand.print(w, p, r, ps.evaluateIn().name(), ps.evaluateOod().name());
            }
        }
        return ExitCodes.OK;
    }

    /**
     * What a fit reads, which its {@code --out} may not be or lie inside: the pipeline file, its data files and folders,
     * and the saved detector of its embed stage ({@code embed: {detector: DIR}}).
     */
    static List<OutputFiles.Input> inputs(PipelineSpec ps) {
        List<OutputFiles.Input> in = new ArrayList<>();
        in.add(OutputFiles.Input.of("the pipeline", ps.file()));
        Path base = ps.file() == null ? Path.of("") : ps.file().toAbsolutePath().getParent();
        for (Dataset d : new Dataset[] {ps.train(), ps.thresholdData(), ps.evaluateIn(), ps.evaluateOod()}) {
            if (d != null && d.name() != null) {
                try {
                    Path p = Path.of(d.name());
                    if (Files.exists(p)) {
                        in.add(OutputFiles.Input.of("the pipeline's data", p));
                    }
                } catch (java.nio.file.InvalidPathException e) {
                    // a data set not named by a path
                }
            }
        }
        if (ps.embed() != null && ps.embed().describe().get("detector") instanceof String det) {
            in.add(OutputFiles.Input.of("the embed stage's saved detector", base.resolve(det)));
        }
        return in;
    }

    /**
     * Refuses, before any work, an {@code --out} that is a file, a folder holding anything but a saved detector, or
     * (without {@code --overwrite}) a saved detector; an empty folder is fine.
     */
    static void checkOut(Path out, boolean overwrite) {
        try {
            DetectorFolder.checkTarget(out, overwrite);
        } catch (ConfigException e) {
            throw new ConfigException("--out " + e.getMessage());
        }
    }
}
