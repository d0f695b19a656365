package io.oddball.api;

/**
 * What the host gives a detector: progress display, a cooperative interrupt flag (Ctrl-C) and the device to prefer.
 * Numeric code takes what it needs from here and has no other global state.
 */
public interface DetectorContext {
    /** Starts showing progress of a task of {@code total} units ({@code -1} when unknown). */
    Progress progress(String task, long total, String unit);

    /**
     * True once the user asked to stop (Ctrl-C) or the thread was interrupted. Long loops check it between steps and
     * stop cleanly, keeping what they have.
     */
    boolean stopRequested();

    /** Preferred device: {@code cpu} or {@code gpu}; models are built with soft placement, so gpu falls back to cpu. */
    String device();

    /**
     * Where a long fit keeps its checkpoints (one folder per fit, created by the detector), or null for none. Since
     * API 1.2.
     */
    default java.nio.file.Path checkpointDir() {
        return null;
    }

    /**
     * Whether a fit continues from the checkpoint in {@link #checkpointDir()} (a fresh start when there is none).
     * Since API 1.2.
     */
    default boolean resume() {
        return false;
    }

    /** A context with no progress display, no stop request except thread interruption, CPU device. */
    static DetectorContext simple() {
        return new DetectorContext() {
            @Override
            public Progress progress(String task, long total, String unit) {
                return Progress.NONE;
            }

            @Override
            public boolean stopRequested() {
                return Thread.currentThread().isInterrupted();
            }

            @Override
            public String device() {
                return "cpu";
            }
        };
    }
}
