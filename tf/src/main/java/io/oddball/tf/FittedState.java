package io.oddball.tf;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The fitted state of a detector and its life cycle, shared by the neural detectors: fitted once (under a write lock),
 * then read by any number of threads at once (scoring, saving, under a read lock), closed once (waiting for running
 * reads, then releasing the state's native resources). Messages start with the detector's name.
 *
 * @param <F> the fitted state
 */
public final class FittedState<F> {
    private final String name;
    private final Consumer<F> release;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile F fitted;
    private boolean closed;

    /**
     * @param name prefix of the messages, e.g. {@code llr}
     * @param initial the state of a loaded detector, or null for an unfitted one
     * @param release frees a state's resources on close
     */
    public FittedState(String name, F initial, Consumer<F> release) {
        this.name = requireNonNull(name, "name is null");
        this.release = requireNonNull(release, "release is null");
        this.fitted = initial;
    }

    /** The state without waiting (null before fit): for descriptions, not for work on it. */
    public F peek() {
        return fitted;
    }

    /**
     * Sets the state to what {@code train} returns, once.
     *
     * @throws IllegalStateException when closed or already fitted
     */
    public void fit(Supplier<F> train) {
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(name + ": detector is closed");
            }
            if (fitted != null) {
                throw new IllegalStateException(name + ": detector is already fitted; create a new one to refit");
            }
            fitted = requireNonNull(train.get(), "train returned null");
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * {@code action} on the state, which stays open meanwhile; many threads may read at once.
     *
     * @throws IllegalStateException when closed or not fitted
     */
    public <T> T read(Function<F, T> action) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(name + ": detector is closed");
            }
            F f = fitted;
            if (f == null) {
                throw new IllegalStateException(name + ": detector is not fitted; call fit or load first");
            }
            return action.apply(f);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Releases the state after running reads end; later calls do nothing. */
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            F f = fitted;
            if (f != null) {
                release.accept(f);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
