package io.oddball.runtime;

import io.oddball.api.DetectorContext;
import io.oddball.api.Progress;
import io.oddball.runtime.progress.ConsoleProgress;
import io.oddball.runtime.progress.StopSignal;

/**
 * The {@link DetectorContext} of the runtime: console progress (for scoring too: instances scored against the total,
 * shown once the work has run 2 s), Ctrl-C stop flag, the chosen device.
 */
public final class RuntimeContext implements DetectorContext {
    /** Unit of scoring progress. */
    public static final String INSTANCES = "instances";

    private final String device;
    private final boolean showProgress;
    private final java.nio.file.Path checkpointDir;
    private final boolean resume;
    private final ConsoleProgress.Settings scoringSettings;

    public RuntimeContext(String device, boolean showProgress) {
        this(device, showProgress, null, false, null);
    }

    private RuntimeContext(String device, boolean showProgress, java.nio.file.Path checkpointDir, boolean resume,
            ConsoleProgress.Settings scoringSettings) {
        this.device = device;
        this.showProgress = showProgress;
        this.checkpointDir = checkpointDir;
        this.resume = resume;
        this.scoringSettings = scoringSettings;
    }

    /** This context with a checkpoint folder for long fits, continuing from its checkpoint when {@code resume}. */
    public RuntimeContext withCheckpoints(java.nio.file.Path dir, boolean resume) {
        return new RuntimeContext(device, showProgress, dir, resume, scoringSettings);
    }

    /** This context showing the progress of scoring as {@code settings} say (a test's log lines, say). */
    public RuntimeContext withScoringProgress(ConsoleProgress.Settings settings) {
        return new RuntimeContext(device, showProgress, checkpointDir, resume, settings);
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

    /** CPU (or GPU with soft placement when {@code ODDBALL_DEVICE=gpu}), progress shown. */
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
