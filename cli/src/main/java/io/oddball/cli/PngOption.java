package io.oddball.cli;

import io.oddball.runtime.output.OutputFiles;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --png DIR}, of the commands that draw charts: each chart also as a PNG file in DIR. */
final class PngOption {
    @Option(names = "--png", paramLabel = "DIR", description = "Also write each chart as a PNG file into DIR.")
    Path dir;

    /** Fails before any work when DIR is given and is not a usable output folder or is or lies inside an input. */
    void check(List<OutputFiles.Input> inputs) {
        if (dir != null) {
            OutputFiles.checkFolder("--png", dir, inputs);
        }
    }
}
