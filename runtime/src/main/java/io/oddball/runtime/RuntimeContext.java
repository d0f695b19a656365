package io.oddball.runtime;

import io.oddball.api.DetectorContext;
import io.oddball.api.Progress;
import io.oddball.runtime.progress.ConsoleProgress;
import io.oddball.runtime.progress.StopSignal;

/** The {@link DetectorContext} of the runtime: console progress, Ctrl-C stop flag, the chosen device. */
public final class RuntimeContext implements DetectorContext {
    private final String device;
    private final boolean showProgress;
    private final java.nio.file.Path checkpointDir;
    private final boolean resume;

    public RuntimeContext(String device, boolean showProgress) {
        this(device, showProgress, null, false);
    }

    private RuntimeContext(String device, boolean showProgress, java.nio.file.Path checkpointDir, boolean resume) {
        this.device = device;
        this.showProgress = showProgress;
        this.checkpointDir = checkpointDir;
        this.resume = resume;
    }

    /** This context with a checkpoint folder for long fits, continuing from its checkpoint when {@code resume}. */
    public RuntimeContext withCheckpoints(java.nio.file.Path dir, boolean resume) {
        return new RuntimeContext(device, showProgress, dir, resume);
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
