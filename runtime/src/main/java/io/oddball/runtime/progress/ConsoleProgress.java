package io.oddball.runtime.progress;

import io.oddball.api.Progress;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress display: a terminal progress bar (me.tongfei:progressbar) when standard error is a terminal, otherwise a
 * log line every {@code logEvery} (CI, files, pipes), so long work is never silent.
 */
public final class ConsoleProgress implements Progress {
    private static final Logger LOG = LoggerFactory.getLogger("io.oddball.progress");

    private final ProgressBar bar;
    private final String task;
    private final long total;
    private final String unit;
    private final long logEveryNanos;
    private final long start = System.nanoTime();
    private long done;
    private long lastLog = System.nanoTime();
    private String extra = "";

    private ConsoleProgress(String task, long total, String unit, boolean terminal, Duration logEvery) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.logEveryNanos = logEvery.toNanos();
        this.bar = terminal ? new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(total, -1))
                .setStyle(ProgressBarStyle.ASCII).setUnit(" " + unit, 1).showSpeed().setUpdateIntervalMillis(250)
                .continuousUpdate().build() : null;
        if (bar == null) {
            LOG.info("{}: started ({} {})", task, total < 0 ? "?" : total, unit);
        }
    }

    /** A bar on a terminal, periodic log lines otherwise. */
    public static Progress start(String task, long total, String unit) {
        boolean terminal = System.console() != null && !"true".equals(System.getenv("CI"));
        return new ConsoleProgress(task, total, unit, terminal, Duration.ofSeconds(10));
    }

    @Override
    public synchronized void step(long n) {
        done += n;
        if (bar != null) {
            bar.stepBy(n);
            return;
        }
        long now = System.nanoTime();
        if (now - lastLog >= logEveryNanos) {
            lastLog = now;
            log("running");
        }
    }

    @Override
    public synchronized void extra(String text) {
        extra = text == null ? "" : text;
        if (bar != null) {
            bar.setExtraMessage(extra);
        }
    }

    private void log(String state) {
        double secs = (System.nanoTime() - start) / 1e9;
        LOG.info("{}: {} {}{} {} in {}s ({}/s){}", task, state, done, total > 0 ? "/" + total : "", unit,
                String.format("%.1f", secs), String.format("%.0f", done / Math.max(secs, 1e-9)),
                extra.isEmpty() ? "" : ", " + extra);
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        } else {
            log("done");
        }
    }
}
