package io.oddball.tf;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Detector;
import io.oddball.api.data.Shape;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A detector whose fitted state lives in a {@link FittedState}: its name, input shape, save, close and description,
 * written once for every detector of the project (and a plugin's, which may extend it). A subclass says where the
 * state's input shape is and how the state is written; it fits with {@code state.fit(...)} and scores with
 * {@code state.read(...)}.
 *
 * @param <F> the fitted state
 */
public abstract class StatefulDetector<F> implements Detector {
    /** The fitted state: null before fit, set once, read by any number of threads, released on close. */
    protected final FittedState<F> state;
    private final String name;

    /**
     * @param name the detector type, also the prefix of its messages
     * @param fitted the state of a loaded detector, or null for an unfitted one
     * @param release frees a state's native resources on close
     */
    protected StatefulDetector(String name, F fitted, Consumer<F> release) {
        this.name = requireNonNull(name, "name is null");
        this.state = new FittedState<>(name, fitted, release);
    }

    /** The shape of one input instance of a fitted state. */
    protected abstract Shape inputShape(F fitted);

    /** Writes a fitted state into {@code modelDir} (the folder {@link #save} is given). */
    protected abstract void write(Path modelDir, F fitted);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Shape inputShape() {
        F f = state.peek();
        return f == null ? null : inputShape(f);
    }

    @Override
    public void save(Path modelDir) {
        requireNonNull(modelDir, "modelDir is null");
        state.read(f -> {
            write(modelDir, f);
            return null;
        });
    }

    @Override
    public void close() {
        state.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + hyperParameters() + (state.peek() == null ? ", unfitted"
                : ", fitted") + "]";
    }
}
