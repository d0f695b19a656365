package io.oddball.runtime.progress;

import io.oddball.api.Progress;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress display: a terminal progress bar (me.tongfei:progressbar) when standard error is a terminal, otherwise a
 * log line every {@code logEvery} (CI, files, pipes), so long work is never silent. With a delay, nothing is shown
 * until the work has run that long (scoring a small file stays quiet); the bar or the first line then starts from the
 * count reached. A total below 0 means unknown: the count is shown without a total.
 */
public final class ConsoleProgress implements Progress {
    private static final Logger LOG = LoggerFactory.getLogger("io.oddball.progress");

    /**
     * How progress is shown.
     *
     * @param terminal a bar (true) or log lines (false)
     * @param delay nothing is shown before the work has run this long
     * @param logEvery time between log lines (without a terminal)
     * @param lines where log lines go (SLF4J's {@code io.oddball.progress} logger at info by default)
     */
    public record Settings(boolean terminal, Duration delay, Duration logEvery, Consumer<String> lines) {
        public Settings {
            Objects.requireNonNull(delay, "delay is null");
            Objects.requireNonNull(logEvery, "logEvery is null");
            Objects.requireNonNull(lines, "lines is null");
        }

        /** A bar when standard error is a terminal (and not under CI), else log lines every 10 s; shown at once. */
        public static Settings detect() {
            return new Settings(System.console() != null && !"true".equals(System.getenv("CI")), Duration.ZERO,
                    Duration.ofSeconds(10), LOG::info);
        }

        /**
         * For scoring: as {@link #detect()}, shown once the work has run 2 s. The system properties
         * {@code oddball.progress.delay} and {@code oddball.progress.every} (milliseconds) change the delay and the
         * time between log lines.
         */
        public static Settings scoring() {
            Settings s = detect();
            return new Settings(s.terminal(), millis("oddball.progress.delay", Duration.ofSeconds(2)),
                    millis("oddball.progress.every", s.logEvery()), s.lines());
        }

        private static Duration millis(String property, Duration otherwise) {
            String v = System.getProperty(property);
            if (v == null || v.isBlank()) {
                return otherwise;
            }
            try {
                return Duration.ofMillis(Math.max(0, Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }
    }

    private final String task;
    private final long total;
    private final String unit;
    private final Settings settings;
    private final long start = System.nanoTime();
    private ProgressBar bar;
    private boolean shown;
    private long done;
    private long lastLog;
    private String extra = "";

    private ConsoleProgress(String task, long total, String unit, Settings settings) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.settings = settings;
        if (settings.delay().isZero()) {
            show();
        }
    }

    /** A bar on a terminal, periodic log lines otherwise, shown at once. */
    public static Progress start(String task, long total, String unit) {
        return start(task, total, unit, Settings.detect());
    }

    /** Progress shown as {@code settings} say. */
    public static Progress start(String task, long total, String unit, Settings settings) {
        return new ConsoleProgress(task, total, unit, Objects.requireNonNull(settings, "settings is null"));
    }

    private void show() {
        shown = true;
        lastLog = System.nanoTime();
        if (settings.terminal()) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(total, -1))
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" " + unit, 1).showSpeed().setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(stderr()))
                    .continuousUpdate().startsFrom(done, Duration.ofNanos(System.nanoTime() - start)).build();
            bar.setExtraMessage(extra);
        } else if (done == 0) {
            settings.lines().accept(task + ": started (" + (total < 0 ? "?" : total) + " " + unit + ")");
        } else {
            log("running");
        }
    }

    /**
     * {@link System#err} as it is now, flushed after every write. The progress bar's own default writes to file
     * descriptor 2 directly, past {@code System.err}: under the launcher that is its filter of TensorFlow's log lines,
     * which holds a bar redrawn with carriage returns back until a newline.
     */
    private static PrintStream stderr() {
        PrintStream err = System.err;
        OutputStream flushing = new FilterOutputStream(err) {
            @Override
            public void write(byte[] b, int off, int len) {
                err.write(b, off, len);
                err.flush();
            }

            @Override
            public void write(int b) {
                err.write(b);
                err.flush();
            }
        };
        String enc = System.getProperty("stderr.encoding", System.getProperty("sun.stderr.encoding"));
        java.nio.charset.Charset cs = enc != null && java.nio.charset.Charset.isSupported(enc)
                ? java.nio.charset.Charset.forName(enc) : java.nio.charset.Charset.defaultCharset();
        return new PrintStream(flushing, false, cs);
    }

    @Override
    public synchronized void step(long n) {
        done += n;
        long now = System.nanoTime();
        if (!shown) {
            if (now - start >= settings.delay().toNanos()) {
                show();
            }
            return;
        }
        if (bar != null) {
            bar.stepBy(n);
            return;
        }
        if (now - lastLog >= settings.logEvery().toNanos()) {
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

    /** Instances (or steps) counted so far. */
    public synchronized long done() {
        return done;
    }

    private void log(String state) {
        double secs = (System.nanoTime() - start) / 1e9;
        settings.lines().accept(String.format(Locale.ROOT, "%s: %s %d%s %s in %.1fs (%.0f/s)%s", task, state, done,
                total >= 0 ? "/" + total : "", unit, secs, done / Math.max(secs, 1e-9),
                extra.isEmpty() ? "" : ", " + extra));
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        } else if (shown) {
            log("done");
        }
    }
}
