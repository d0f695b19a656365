package io.oddball.cli;

import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.Versions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

/** The {@code oddball} command: global options and the sub-commands. */
@Command(name = "oddball", mixinStandardHelpOptions = true, versionProvider = OddballCommand.Version.class,
        description = "Outlier and out-of-distribution detection on the JVM.",
        subcommands = {FitCommand.class, PredictCommand.class, InferThresholdCommand.class, EvaluateCommand.class,
            ReportCommand.class, PerturbCommand.class, MapsCommand.class, SampleCommand.class,
            PluginsCommand.class, DemoCommand.class, ServeCommand.class, picocli.CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success",
            "1:runtime failure: a file that exists but cannot be read or parsed (data, saved detector), a failed or "
                + "interrupted run",
            "2:usage or configuration error: a bad argument or YAML pipeline, an unknown type, a path that does not "
                + "exist (on the command line or in YAML)"})
public final class OddballCommand implements Runnable {
    @Option(names = "--plugins", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "A folder of third-party plugin jars (repeatable; also ODDBALL_PLUGINS).")
    private List<Path> pluginDirs = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    private boolean verbose;

    private Oddball oddball;

    /** {@code --precision}, or null when not given (the environment's then holds). */
    private String precision;

    /**
     * Precision of neural detectors' inference: {@code bfloat16} turns on TensorFlow's oneDNN bfloat16 rewrite for
     * their saved models (about 2x faster on CPUs with AVX512_BF16; scores agree approximately, see
     * bench/RESULTS.md). Training and KNN stay float32. Carried to the detectors by {@link #context()}.
     */
    @Option(names = "--precision", paramLabel = "float32|bfloat16", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Inference precision of neural detectors (ae, vae): float32 (default) or bfloat16 (faster "
                    + "on CPUs with AVX512_BF16, scores approximate). Also ODDBALL_INFERENCE_PRECISION.")
    void precision(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!v.equals("float32") && !v.equals("bfloat16")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--precision: expected float32 or bfloat16, found '" + value + "'");
        }
        precision = v;
    }

    /**
     * The context commands run detectors in: the runtime's defaults (the environment's device and settings), with
     * {@code --precision} when given.
     */
    RuntimeContext context() {
        return RuntimeContext.defaults().withSetting(io.oddball.api.DetectorContext.PRECISION, precision);
    }

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    boolean verbose() {
        return verbose;
    }

    /** Whether to say so when TensorFlow's native library is about to be unpacked (the launcher's runs). */
    private boolean firstRunNotice;

    void firstRunNotice(boolean on) {
        firstRunNotice = on;
    }

    /**
     * The runtime, for a command that runs TensorFlow: on the launcher's first run (TensorFlow's native library not
     * yet in JavaCPP's cache), first one line saying that the library is being unpacked and where.
     */
    Oddball oddball() {
        if (firstRunNotice) {
            firstRunNotice = false;
            String notice = TensorFlowCache.firstRunNotice();
            if (notice != null) {
                spec.commandLine().getErr().println("oddball: " + notice);
            }
        }
        return oddballWithoutTensorFlow();
    }

    /** The runtime, with plugins from the class path, {@code --plugins} and {@code ODDBALL_PLUGINS}. */
    Oddball oddballWithoutTensorFlow() {
        if (oddball == null) {
            List<Path> dirs = new ArrayList<>(pluginDirs);
            dirs.addAll(Oddball.pluginDirsFromEnvironment());
            oddball = Oddball.create(dirs);
        }
        return oddball;
    }

    /**
     * The jars of the plugin folders ({@code --plugins}, {@code ODDBALL_PLUGINS}) as inputs for the output checks: they
     * are code in use, which no {@code --out} may replace (other files of those folders may be written).
     */
    List<io.oddball.runtime.output.OutputFiles.Input> pluginInputs() {
        List<io.oddball.runtime.output.OutputFiles.Input> in = new ArrayList<>();
        List<Path> dirs = new ArrayList<>(pluginDirs);
        dirs.addAll(Oddball.pluginDirsFromEnvironment());
        for (Path d : dirs) {
            if (!java.nio.file.Files.isDirectory(d)) {
                continue;
            }
            try (java.nio.file.DirectoryStream<Path> jars = java.nio.file.Files.newDirectoryStream(d, "*.jar")) {
                for (Path jar : jars) {
                    in.add(io.oddball.runtime.output.OutputFiles.Input.of("the plugin", jar));
                }
            } catch (java.io.IOException | RuntimeException e) {
                // a folder that cannot be listed loaded no plugin either
            }
        }
        return in;
    }

    /** The names of the data readers found (built in, class path, plugin folders), for {@code --format}'s help. */
    List<String> readerNames() {
        return oddballWithoutTensorFlow().plugins().names(io.oddball.runtime.plugin.Kind.READER);
    }

    /** Prints Oddball's version and the API version. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"oddball " + Versions.ODDBALL + " (api " + io.oddball.api.Api.VERSION + ", Java "
                    + System.getProperty("java.version") + ")"};
        }
    }
}
