package io.oddball.api;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import java.nio.file.Path;
import java.util.Map;

/**
 * A pipeline's embedding stage: maps each (preprocessed) instance to an embedding that the detector sees instead, at
 * fit and at score time alike — a user's TensorFlow SavedModel (e.g. a ResNet without its head) or the encoder of a
 * fitted autoencoder. Made by an {@link EmbedderProvider}.
 *
 * <p>An embedder owns native resources: close it. {@link #embed} must be safe to call from several threads at once.
 */
public interface Embedder extends AutoCloseable {
    /** Shape of one input instance, or null when the embedder takes any shape. */
    Shape inputShape();

    /** Shape of one instance's embedding (the detector's input shape). */
    Shape outputShape();

    /**
     * The embeddings of a batch: {@code batch.size()} instances of {@link #outputShape()}, labels kept.
     *
     * @throws io.oddball.api.error.DataException if the instances do not have {@link #inputShape()}
     */
    Batch embed(Batch batch);

    /**
     * Writes everything the embedder needs into {@code dir} (an existing empty directory inside a saved detector,
     * {@code baseDir}) and returns the parameters that make {@link EmbedderProvider#create} rebuild it with
     * {@code baseDir} as base directory: paths relative to {@code baseDir}, plain values only, without {@code type}
     * (the caller adds it). A saved detector is thus self-contained.
     */
    Map<String, Object> save(Path dir, Path baseDir);

    /** Frees native resources; later calls fail. */
    @Override
    void close();
}
