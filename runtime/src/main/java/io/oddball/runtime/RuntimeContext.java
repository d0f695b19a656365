package io.oddball.runtime;

import io.oddball.api.DetectorContext;
import io.oddball.api.Progress;
import io.oddball.runtime.progress.ConsoleProgress;
import io.oddball.runtime.progress.StopSignal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link DetectorContext} of the runtime: console progress (for scoring too: instances scored against the total,
 * shown once the work has run 2 s), Ctrl-C stop flag, the chosen device, and the settings of numeric code from the
 * environment ({@link DetectorContext#environmentSettings}) and command-line flags ({@link #withSetting}).
 */
public final class RuntimeContext implements DetectorContext {
    /** Unit of scoring progress. */
    public static final String INSTANCES = "instances";

    private final String device;
    private final boolean showProgress;
    private final java.nio.file.Path checkpointDir;
    private final boolean resume;
    private final ConsoleProgress.Settings scoringSettings;
    private final Map<String, String> settings;

    /** A context on {@code device}, showing progress or not, with the settings of the environment. */
    public RuntimeContext(String device, boolean showProgress) {
        this(device, showProgress, null, false, null, DetectorContext.environmentSettings(System.getenv()));
    }

    private RuntimeContext(String device, boolean showProgress, java.nio.file.Path checkpointDir, boolean resume,
            ConsoleProgress.Settings scoringSettings, Map<String, String> settings) {
        this.device = device;
        this.showProgress = showProgress;
        this.checkpointDir = checkpointDir;
        this.resume = resume;
        this.scoringSettings = scoringSettings;
        this.settings = Map.copyOf(settings);
    }

    /** This context with a checkpoint folder for long fits, continuing from its checkpoint when {@code resume}. */
    public RuntimeContext withCheckpoints(java.nio.file.Path dir, boolean resume) {
        return new RuntimeContext(device, showProgress, dir, resume, scoringSettings, settings);
    }

    /** This context showing the progress of scoring as {@code settings} say (a test's log lines, say). */
    public RuntimeContext withScoringProgress(ConsoleProgress.Settings settings) {
        return new RuntimeContext(device, showProgress, checkpointDir, resume, settings, this.settings);
    }

    /**
     * This context with setting {@code key} (e.g. {@link DetectorContext#PRECISION}) at {@code value}, replacing the
     * environment's; a null value leaves the setting as it is.
     */
    public RuntimeContext withSetting(String key, String value) {
        if (value == null) {
            return this;
        }
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.put(java.util.Objects.requireNonNull(key, "key is null"), value);
        return new RuntimeContext(device, showProgress, checkpointDir, resume, scoringSettings, s);
    }

    @Override
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * The progress of scoring {@code total} instances ({@code -1}: unknown, counted without a total): with a
     * runtime context, a bar or log lines once the work has run 2 s ({@link ConsoleProgress.Settings#scoring()}); with
     * another context, its own {@link DetectorContext#progress}.
     */
    public static Progress scoring(DetectorContext context, String task, long total) {
        if (context instanceof RuntimeContext rc) {
            if (!rc.showProgress) {
                return Progress.NONE;
            }
            ConsoleProgress.Settings s = rc.scoringSettings != null ? rc.scoringSettings
                    : ConsoleProgress.Settings.scoring();
            return ConsoleProgress.start(task, total, INSTANCES, s);
        }
        return context.progress(task, total, INSTANCES);
    }

    /** The number of instances of all {@code data} together, or -1 when one of them does not know its size. */
    public static long total(io.oddball.api.data.Dataset... data) {
        long n = 0;
        for (io.oddball.api.data.Dataset d : data) {
            if (d == null || d.size().isEmpty()) {
                return -1;
            }
            n += d.size().getAsLong();
        }
        return n;
    }

    @Override
    public java.nio.file.Path checkpointDir() {
        return checkpointDir;
    }

    @Override
    public boolean resume() {
        return resume;
    }

    /**
     * CPU (or GPU with soft placement when {@code ODDBALL_DEVICE=gpu}), progress shown, the settings of the
     * environment ({@code ODDBALL_INFERENCE_PRECISION}, {@code ODDBALL_OPS}).
     */
    public static RuntimeContext defaults() {
        String d = System.getenv().getOrDefault("ODDBALL_DEVICE", "cpu");
        return new RuntimeContext(d, true);
    }

    @Override
    public Progress progress(String task, long total, String unit) {
        return showProgress ? ConsoleProgress.start(task, total, unit) : Progress.NONE;
    }

    @Override
    public boolean stopRequested() {
        return StopSignal.requested();
    }

    @Override
    public String device() {
        return device;
    }
}
