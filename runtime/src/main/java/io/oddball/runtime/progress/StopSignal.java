package io.oddball.runtime.progress;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cooperative stop flag raised by the first Ctrl-C (SIGINT): long loops see it through
 * {@link io.oddball.api.DetectorContext#stopRequested()} and stop cleanly, keeping their state and writing no
 * partial output. A second Ctrl-C exits at once.
 */
public final class StopSignal {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private StopSignal() {
    }

    /** Installs the Ctrl-C handler once (for the CLI; libraries need not call it). */
    @SuppressWarnings("removal")
    public static void installCtrlC() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> {
                if (REQUESTED.getAndSet(true)) {
                    System.err.println("\nstopped");
                    Runtime.getRuntime().halt(130);
                }
                System.err.println("\nstopping after the current step (Ctrl-C again to quit now)...");
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.debug("cannot install a Ctrl-C handler: {}", e.toString());
        }
    }

    /** Whether a stop was requested (Ctrl-C) or the current thread was interrupted. */
    public static boolean requested() {
        return REQUESTED.get() || Thread.currentThread().isInterrupted();
    }

    /** Raises the flag (used by tests and embedding code). */
    public static void request() {
        REQUESTED.set(true);
    }

    /** Lowers the flag. */
    public static void reset() {
        REQUESTED.set(false);
    }
}
