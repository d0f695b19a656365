package io.oddball.cli;

import io.oddball.runtime.Oddball;
import io.oddball.runtime.data.NanPolicy;
import io.oddball.runtime.pipeline.Pipeline;
import java.nio.file.Path;
import io.oddball.runtime.output.OutputFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options of commands that compare normal data with outliers: {@code --in}, {@code --ood}, the latter's format and
 * reader options, and the data options both share ({@link DataOptions}).
 */
final class InOodOptions {
    @Option(names = "--in", required = true, paramLabel = "FILE", description = "Normal (in-distribution) data.")
    Path in;

    @Option(names = "--ood", required = true, paramLabel = "FILE", description = "Outliers (out-of-distribution).")
    Path ood;

    @Option(names = "--ood-format", paramLabel = "FORMAT", description = "Format of --ood if it differs from --format.")
    String oodFormat;

    @Option(names = "--ood-option", paramLabel = "KEY=VALUE",
            description = "A reader option for --ood only (default: the -O options).")
    Map<String, String> oodOptions;

    /** {@code --format}, {@code -O}, the batch size and the NaN policy, of both --in and --ood. */
    @Mixin
    DataOptions shared;

    /** Fails with a usage error on a bad shared option, or unless both files exist. */
    void check() {
        shared.check();
        DataOptions.requireExists("--in", in);
        DataOptions.requireExists("--ood", ood);
    }

    /** The inputs --in and --ood, their labels files, and the saved detector {@code dir}: for the output checks. */
    List<OutputFiles.Input> inputs(Path dir) {
        List<OutputFiles.Input> all = new ArrayList<>();
        all.add(DataOptions.detector(dir));
        all.add(OutputFiles.Input.of("--in", in));
        all.add(OutputFiles.Input.of("--ood", ood));
        all.add(DataOptions.labels("-O labels=", shared.options));
        all.add(DataOptions.labels("--ood-option labels=", oodOptions));
        return all;
    }

    /** The normal data, read with the shared data options and NaN policy. */
    NanPolicy.Filtered openIn(Oddball oddball, Pipeline pipeline) {
        return shared.open(oddball, pipeline, in);
    }

    /**
     * The outliers, read with {@code --ood-format}/{@code --ood-option} where given, else the shared options, and the
     * shared NaN policy.
     */
    NanPolicy.Filtered openOod(Oddball oddball, Pipeline pipeline) {
        Map<String, Object> opts = oodOptions == null ? shared.parsed() : DataOptions.parse(oodOptions);
        return shared.open(oddball, pipeline, ood, oodFormat != null ? oodFormat : shared.format, opts);
    }
}
