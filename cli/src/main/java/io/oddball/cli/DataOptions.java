package io.oddball.cli;

import io.oddball.api.data.Dataset;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.config.YamlDocument;
import io.oddball.runtime.data.InputFiles;
import io.oddball.runtime.data.NanPolicy;
import io.oddball.runtime.pipeline.Pipeline;
import java.io.StringReader;
import io.oddball.runtime.plugin.Kind;
import java.nio.file.Path;
import io.oddball.runtime.output.OutputFiles;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * Options shared by commands that read a data file: {@code --format}, reader options {@code -O key=value}, the batch
 * size and what to do with NaN or infinite values ({@code --nan-policy}).
 */
final class DataOptions {
    @Option(names = "--format", paramLabel = "FORMAT", completionCandidates = Formats.class,
            description = "Data format, one of the readers found (oddball plugins): ${COMPLETION-CANDIDATES}; default: "
                    + "from the file name.")
    String format;

    /**
     * {@code --format}'s completion candidates and the names its help lists: the data readers the runtime discovers
     * (built in, on the class path, in plugin folders), read when asked for, since picocli builds the command model
     * at start-up, before {@code --plugins} is parsed, and renders the help later. {@link Main}'s factory gives each
     * one the root command's runtime, so that {@code --plugins DIR} counts; made by picocli's own factory (a command
     * tree built without {@link Main}), it discovers the class path and {@code ODDBALL_PLUGINS}.
     */
    static final class Formats implements Iterable<String> {
        private final Supplier<List<String>> names;

        Formats() {
            this(() -> Oddball.create(Oddball.pluginDirsFromEnvironment()).plugins().names(Kind.READER));
        }

        Formats(Supplier<List<String>> names) {
            this.names = names;
        }

        @Override
        public Iterator<String> iterator() {
            return names.get().iterator();
        }
    }

    @Option(names = {"-O", "--data-option"}, paramLabel = "KEY=VALUE",
            description = "A reader option, e.g. -O limit=1000 -O offset=500 -O labelColumn=label -O classes=[3,5]; "
                    + "-O shape=28,28,1 reads rows of 784 values as 28x28x1 images (an (N, 28, 28) array is read as "
                    + "28x28x1 without it).")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256",
            description = "Instances per scoring batch (bounds memory; default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--nan-policy", paramLabel = "reject|drop|impute", defaultValue = "reject",
            description = "Instances with NaN or infinite values: reject (fail naming the instance; default), drop "
                    + "(leave them out; output keeps the input's numbering), or impute (replace each such value by 0, "
                    + "in the data's units before preprocessing).")
    String nanPolicy;

    /**
     * Opens {@code file} to score with {@code pipeline}, with these options (values read as YAML: numbers, lists,
     * strings) and this NaN policy; images are resized to the detector's input size unless {@code -O size=[H,W]}
     * says otherwise.
     */
    NanPolicy.Filtered open(Oddball oddball, Pipeline pipeline, Path file) {
        return open(oddball, pipeline, file, format, parsed());
    }

    /** Opens {@code file} with the given format and reader options, and this NaN policy. */
    NanPolicy.Filtered open(Oddball oddball, Pipeline pipeline, Path file, String fileFormat,
            Map<String, Object> readerOptions) {
        Dataset d = oddball.openData(pipeline, file, fileFormat, readerOptions);
        return NanPolicy.of(nanPolicy).apply(d);
    }

    /**
     * How {@code file} was read, as on the command line: {@code data.npy --format npy -O limit=1000 --nan-policy drop}
     * (the format, each reader option and a policy other than reject, where given).
     */
    String describe(Path file) {
        StringBuilder b = new StringBuilder(file.toString());
        if (format != null) {
            b.append(" --format ").append(format);
        }
        options.forEach((k, v) -> b.append(" -O ").append(k).append('=').append(v));
        if (NanPolicy.of(nanPolicy) != NanPolicy.REJECT) {
            b.append(" --nan-policy ").append(nanPolicy);
        }
        return b.toString();
    }

    /** A note for the user when instances were dropped or imputed, else null. */
    static String note(NanPolicy.Filtered data) {
        if (data.affected() == 0) {
            return null;
        }
        return data.name() + ": " + data.affected() + " instances with NaN or infinite values "
                + (data.policy() == NanPolicy.DROP ? "dropped" : "imputed with 0");
    }

    Map<String, Object> parsed() {
        return parse(options);
    }

    /** Option values read as YAML scalars or flow lists ({@code 1000}, {@code [3, 5]}, {@code label}). */
    static Map<String, Object> parse(Map<String, String> options) {
        Map<String, Object> out = new LinkedHashMap<>();
        options.forEach((k, v) -> out.put(k, YamlDocument.parse("-O " + k, new StringReader("v: " + v))
                .values().get("v")));
        return out;
    }

    /**
     * Fails with a usage error (exit 2) unless {@code path}, given with {@code option}, exists, and with a data error
     * (exit 1) when it is neither a regular file nor a folder (a FIFO or a device would block or never end): checked
     * before a detector is loaded and before the path is opened, so a mistyped path is reported at once.
     */
    static void requireExists(String option, Path path) {
        if (path == null) {
            return;
        }
        String kind = InputFiles.kind(path);
        if (kind == null) {
            throw new io.oddball.api.error.ConfigException(option + " " + path + ": expected an existing file or "
                    + "folder, found nothing");
        }
        if (!InputFiles.readable(path, true)) {
            throw new io.oddball.api.error.DataException(option + " " + path + ": " + InputFiles.expected(true)
                    + ", found " + kind);
        }
    }

    /**
     * The inputs of a command reading {@code file} (given with {@code option}) with these options and the saved
     * detector {@code dir}: the file, a labels file ({@code -O labels=FILE}) and the detector; for the output checks
     * ({@link OutputFiles}).
     */
    List<OutputFiles.Input> inputs(String option, Path file, Path dir) {
        List<OutputFiles.Input> in = new ArrayList<>();
        in.add(OutputFiles.Input.of(option, file));
        in.add(labels("-O labels=", options));
        in.add(detector(dir));
        return in;
    }

    /** The labels file named by reader options ({@code labels=FILE}), as an input, or null. */
    static OutputFiles.Input labels(String option, Map<String, String> options) {
        String l = options == null ? null : options.get("labels");
        if (l == null || l.isBlank() || l.equals("false") || l.equals("true")) {
            return null;
        }
        return OutputFiles.Input.of(option, Path.of(l));
    }

    /** A saved detector used by a command, as an input for the output checks. */
    static OutputFiles.Input detector(Path dir) {
        return OutputFiles.Input.of("the saved detector", dir);
    }

    void check() {
        NanPolicy.of(nanPolicy);
        if (batchSize < 1) {
            throw new io.oddball.api.error.ConfigException("--batch-size: expected an integer >= 1, found "
                    + batchSize);
        }
    }
}
