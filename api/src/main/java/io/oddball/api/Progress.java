package io.oddball.api;

/**
 * Progress of one long task, shown by the host as a terminal progress bar or as periodic log lines. Detectors get
 * one from {@link DetectorContext#progress}; closing it ends the display.
 */
public interface Progress extends AutoCloseable {
    /** Advances by {@code n} units (instances, steps). */
    void step(long n);

    /** Sets the short text shown beside the bar (e.g. {@code loss 0.0123}). */
    void extra(String text);

    @Override
    void close();

    /** A progress that shows nothing. */
    Progress NONE = new Progress() {
        @Override
        public void step(long n) {
        }

        @Override
        public void extra(String text) {
        }

        @Override
        public void close() {
        }
    };
}
