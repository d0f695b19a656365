package io.oddball.tf.embed;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Embedder;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.tf.io.UserSavedModel;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings from one output of a loaded SavedModel signature, run in batches of bounded size. Thread-safe (the
 * {@link UserSavedModel} is); {@link #close} frees the model.
 */
final class SavedModelEmbedder implements Embedder {
    private static final Logger LOG = LoggerFactory.getLogger(SavedModelEmbedder.class);

    private final UserSavedModel model;
    private final int batchSize;

    SavedModelEmbedder(UserSavedModel model, int batchSize) {
        this.model = requireNonNull(model, "model is null");
        this.batchSize = batchSize;
        LOG.info("embed: saved-model signature {} ({} → {} {})", model.signature(), model.inputShape(),
                model.output(), model.outputShape());
    }

    @Override
    public Shape inputShape() {
        return model.inputShape();
    }

    @Override
    public Shape outputShape() {
        return model.outputShape();
    }

    @Override
    public Batch embed(Batch batch) {
        requireNonNull(batch, "batch is null");
        if (!model.inputShape().equals(batch.instanceShape())) {
            throw new DataException("embed: expected instances of shape " + model.inputShape()
                    + " (the SavedModel's input), found " + batch.instanceShape());
        }
        int n = batch.size();
        float[] out = model.run(batch.toArray(), n, batchSize);
        return Batch.wrap(out, model.outputShape().prepend(n), batch.hasLabels() ? batch.labels() : null);
    }

    @Override
    public Map<String, Object> save(Path dir, Path baseDir) {
        Map<String, Object> m = model.save(dir, baseDir);
        m.put("batchSize", batchSize);
        return m;
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "SavedModelEmbedder[" + model.signature() + " → " + model.output() + " " + model.outputShape() + "]";
    }
}
