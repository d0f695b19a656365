package io.oddball.server;

import io.oddball.api.data.Shape;
import io.oddball.runtime.pipeline.Pipeline;
import java.nio.file.Path;

/** A loaded detector being served: its name, folder, pipeline and batcher. */
public final class ServedModel implements AutoCloseable {
    /** The one version each model is served as. */
    public static final String VERSION = "1";

    private final String name;
    private final Path dir;
    private final Pipeline pipeline;
    private final Batcher batcher;

    ServedModel(String name, Path dir, Pipeline pipeline, Batcher batcher) {
        this.name = name;
        this.dir = dir;
        this.pipeline = pipeline;
        this.batcher = batcher;
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    Batcher batcher() {
        return batcher;
    }

    /** The shape of one instance the model takes. */
    public Shape inputShape() {
        return pipeline.inputShape();
    }

    /** The protocol's platform: {@code oddball_<detector type>}. */
    public String platform() {
        return "oddball_" + pipeline.detectorName();
    }

    /** Stops batching (queued requests are still answered), then frees the pipeline. */
    @Override
    public void close() {
        try {
            batcher.close();
        } finally {
            pipeline.close();
        }
    }
}
