package io.oddball.runtime;

import io.oddball.api.DetectorContext;
import io.oddball.api.Progress;
import io.oddball.runtime.progress.ConsoleProgress;
import io.oddball.runtime.progress.StopSignal;

/** The {@link DetectorContext} of the runtime: console progress, Ctrl-C stop flag, the chosen device. */
public final class RuntimeContext implements DetectorContext {
    private final String device;
    private final boolean showProgress;

    public RuntimeContext(String device, boolean showProgress) {
        this.device = device;
        this.showProgress = showProgress;
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
