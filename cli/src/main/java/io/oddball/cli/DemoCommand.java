package io.oddball.cli;

import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DidYouMean;
import io.oddball.report.ReportWriter;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.eval.EvaluationResult;
import io.oddball.runtime.output.DisplayPath;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.pipeline.PipelineSpec;
import io.oddball.runtime.output.OutputFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oddball demo}: the whole job on data that ships with Oddball. Fits the KNN detector on 1 000 Fashion-MNIST
 * images, saves it, and evaluates it on 1 000 other Fashion-MNIST images (normal) against 1 000 MNIST digits
 * (outliers), and writes an HTML report ({@code demo-report-knn.html}; one per detector). {@code --detector NAME} runs
 * {@code pipelines/demo-NAME.yaml} instead: every such file is a demo, none is named in code.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run end to end on data that ships with Oddball: fit a detector on one image set, save it, and "
                + "evaluate it on held-out images of that set (normal) vs another (outliers), as its pipeline "
                + "pipelines/demo-<detector>.yaml says (knn: Fashion-MNIST vs MNIST digits; ae, vae: the reverse); "
                + "then write an HTML report.")
final class DemoCommand extends OddballSubcommand {
    /** The detector of {@code oddball demo} without {@code --detector}. */
    static final String DEFAULT_DETECTOR = "knn";
    /** A demo is a pipeline file named {@code PREFIX + detector + SUFFIX} in {@code pipelines/}. */
    private static final String PREFIX = "demo-";
    private static final String SUFFIX = ".yaml";

    @Option(names = "--detector", defaultValue = DEFAULT_DETECTOR, paramLabel = "TYPE",
            completionCandidates = Demos.class,
            description = "Detector to demonstrate, one with a pipeline pipelines/demo-<TYPE>.yaml: "
                    + "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    private String detector;

    @Option(names = {"-o", "--out"}, defaultValue = "demo-out", paramLabel = "DIR",
            description = "Where to save the fitted detector (default ${DEFAULT-VALUE}/<detector>; the demo replaces "
                    + "its own earlier detector there).")
    private Path out;

    @Option(names = "--report", paramLabel = "FILE",
            description = "The HTML report to write after the metrics (default demo-report-<detector>.html).")
    private Path report;

    @Override
    public Integer call() {
        Path home = home();
        Path yaml = pipeline(home, detector);
        if (!Files.isRegularFile(yaml)) {
            List<String> demos = demos(home);
            throw new ConfigException("--detector: expected a detector with a demo pipeline ("
                    + (demos.isEmpty() ? "none in " + home.resolve("pipelines") : String.join(", ", demos))
                    + "), found '" + detector + "'" + DidYouMean.hint(detector, demos) + " (no " + yaml + ")");
        }
        Path reportFile = report != null ? report : defaultReport(detector);
        Path dir = out.resolve(detector);
        // the demo replaces only its own earlier output: a folder holding anything but a detector is refused
        FitCommand.checkOut(dir, true);
        List<OutputFiles.Input> inputs = new java.util.ArrayList<>(List.of(OutputFiles.Input.of("the detector folder",
                dir)));
        inputs.addAll(root.pluginInputs()); // the plugin jars in use, as for every command that writes
        reportFile = OutputFiles.checkFile("--report", reportFile, inputs);
        PrintWriter w = stdout();
        Oddball o = root.oddball();
        RuntimeContext ctx = root.context();
        PipelineSpec ps = o.parse(yaml, ctx);
        w.printf("Oddball demo: %s detector, pipeline %s%n", detector, DisplayPath.of(yaml.toAbsolutePath()
                .normalize().toString()));
        long t0 = System.nanoTime();
        try (Pipeline p = o.fit(ps, ctx)) {
            o.save(p, dir, true);
            double fitSecs = (System.nanoTime() - t0) / 1e9;
            w.printf("fitted on %s (%d instances) in %.1f s; threshold = %s (%s); saved to %s%n%n",
                    DisplayPath.of(ps.train().name()), p.info().trainInstances(), fitSecs, p.threshold(),
                    p.thresholdSpec().describe(), dir);
            EvaluationResult r = o.evaluate(p, ps.evaluateIn(), ps.evaluateOod(), 256, ctx);
            EvaluateCommand.print(w, p, r, ps.evaluateIn().name(), ps.evaluateOod().name());
            w.println();
            ReportCommand.printWritten(w, new ReportWriter().write(p, ps.evaluateIn(), ps.evaluateOod(),
                    ReportWriter.Options.defaults(), reportFile, ctx), reportFile);
            w.printf("%nNext: score your own data with%n  %s predict %s --data FILE --out scores.csv%n",
                    launcher(System.getProperty("oddball.launcher"), home), dir);
        }
        return ExitCodes.OK;
    }

    /** The Oddball folder: where the launcher runs from ({@code -Doddball.home}), else the working directory. */
    static Path home() {
        return Path.of(System.getProperty("oddball.home", "."));
    }

    /** The demo pipeline of {@code detector}: {@code pipelines/demo-<detector>.yaml} under {@code home}. */
    static Path pipeline(Path home, String detector) {
        return home.resolve("pipelines").resolve(PREFIX + detector + SUFFIX);
    }

    /**
     * The detectors with a demo: one per {@code pipelines/demo-<detector>.yaml} file under {@code home}, the default
     * first, then by name; none when the folder is missing. A new demo is a new file there, no code.
     */
    static List<String> demos(Path home) {
        Path dir = home.resolve("pipelines");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                String name = n.substring(PREFIX.length(), n.length() - SUFFIX.length());
                if (!name.isEmpty() && Files.isRegularFile(f)) {
                    out.add(name);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        out.sort(Comparator.comparing((String n) -> !n.equals(DEFAULT_DETECTOR)).thenComparing(n -> n));
        return out;
    }

    /**
     * {@code --detector}'s completion candidates and the names its help lists: {@link #demos} of {@link #home},
     * read when asked for (picocli builds the command model at start-up; the help is rendered later).
     */
    static final class Demos implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return demos(home()).iterator();
        }
    }

    /** The report of a demo without {@code --report}: one per detector, so that one demo keeps another's report. */
    static Path defaultReport(String detector) {
        return Path.of("demo-report-" + detector + ".html");
    }

    /**
     * How to run Oddball again from the working directory: the launcher as the user typed it ({@code ./oddball},
     * {@code ../oddball/oddball}, a path found on PATH), else {@code oddball} under {@code home} written relative to the
     * working directory when inside it, absolute otherwise.
     */
    static String launcher(String typed, Path home) {
        if (typed != null && !typed.isBlank()) {
            return typed.contains("/") ? typed : "./" + typed;
        }
        Path script = home.toAbsolutePath().normalize().resolve("oddball");
        Path cwd = Path.of("").toAbsolutePath();
        return script.startsWith(cwd) ? "./" + cwd.relativize(script) : script.toString();
    }
}
