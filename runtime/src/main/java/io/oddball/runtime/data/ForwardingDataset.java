package io.oddball.runtime.data;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import java.util.OptionalLong;

/**
 * A dataset seen through another, its source: the name, the instance shape, the size and whether there are labels
 * are the source's unless a subclass says otherwise; a subclass says what becomes of the batches
 * ({@link #batches}).
 */
public abstract class ForwardingDataset implements Dataset {
    private final Dataset source;

    protected ForwardingDataset(Dataset source) {
        this.source = requireNonNull(source, "source is null");
    }

    /** The dataset this one is seen through. */
    protected final Dataset source() {
        return source;
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public Shape instanceShape() {
        return source.instanceShape();
    }

    @Override
    public OptionalLong size() {
        return source.size();
    }

    @Override
    public boolean hasLabels() {
        return source.hasLabels();
    }
}
