package io.oddball.tf.embed;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Embedder;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.tf.io.InferenceModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings from one output of a loaded SavedModel signature, run in batches of bounded size. Thread-safe (the
 * {@link InferenceModel} is); {@link #close} frees the model.
 */
final class SavedModelEmbedder implements Embedder {
    private static final Logger LOG = LoggerFactory.getLogger(SavedModelEmbedder.class);

    private final InferenceModel model;
    private final String signature;
    private final String input;
    private final String output;
    private final int batchSize;
    private final Shape outputShape;

    SavedModelEmbedder(InferenceModel model, String signature, String input, String output, int batchSize) {
        this.model = requireNonNull(model, "model is null");
        this.signature = requireNonNull(signature, "signature is null");
        this.input = input;
        this.output = requireNonNull(output, "output is null");
        this.batchSize = batchSize;
        this.outputShape = requireNonNull(model.outputShape(output), "output shape is null");
        LOG.info("embed: saved-model signature {} ({} → {} {})", signature, model.instanceShape(), output,
                outputShape);
    }

    @Override
    public Shape inputShape() {
        return model.instanceShape();
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public Batch embed(Batch batch) {
        requireNonNull(batch, "batch is null");
        if (!model.instanceShape().equals(batch.instanceShape())) {
            throw new DataException("embed: expected instances of shape " + model.instanceShape()
                    + " (the SavedModel's input), found " + batch.instanceShape());
        }
        int n = batch.size();
        float[] out = n == 0 ? new float[0] : model.run(batch.toArray(), n, batchSize, output)[0];
        return Batch.wrap(out, outputShape.prepend(n), batch.hasLabels() ? batch.labels() : null);
    }

    @Override
    public Map<String, Object> save(Path dir, Path baseDir) {
        model.export(dir);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", baseDir.toAbsolutePath().relativize(dir.toAbsolutePath()).toString());
        m.put("signature", signature);
        if (input != null) {
            m.put("input", input);
        }
        m.put("output", output);
        m.put("batchSize", batchSize);
        return m;
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "SavedModelEmbedder[" + signature + " → " + output + " " + outputShape + "]";
    }
}
