package io.oddball.cli;

import io.oddball.api.data.Dataset;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.config.YamlDocument;
import io.oddball.runtime.pipeline.Pipeline;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by commands that read a data file: {@code --format} and reader options {@code -O key=value}. */
final class DataOptions {
    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Data format (idx, cifar10, npy, npz, csv, images); default: from the file name.")
    String format;

    @Option(names = {"-O", "--data-option"}, paramLabel = "KEY=VALUE",
            description = "A reader option, e.g. -O limit=1000 -O offset=500 -O labelColumn=label -O classes=[3,5].")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256",
            description = "Instances per scoring batch (bounds memory; default ${DEFAULT-VALUE}).")
    int batchSize;

    /**
     * Opens {@code file} to score with {@code pipeline}, with these options (values read as YAML: numbers, lists,
     * strings); images are resized to the detector's input size unless {@code -O size=[H,W]} says otherwise.
     */
    Dataset open(Oddball oddball, Pipeline pipeline, Path file) {
        return oddball.openData(pipeline, file, format, parsed());
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

    void check() {
        if (batchSize < 1) {
            throw new io.oddball.api.error.ConfigException("--batch-size: expected an integer >= 1, found "
                    + batchSize);
        }
    }
}
