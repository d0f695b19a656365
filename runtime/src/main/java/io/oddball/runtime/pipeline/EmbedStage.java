package io.oddball.runtime.pipeline;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Embedder;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A pipeline's {@code embed} stage, applied after {@code preprocess} and before the detector at fit and at score time
 * alike: an {@link Embedder} with the YAML block that made it. Calls into the embedder run with its plugin's class
 * loader as the thread's context loader. Thread-safe when the embedder is (as the API requires).
 */
public final class EmbedStage implements AutoCloseable {
    /** The folder of a saved detector holding the embedding model's copy. */
    public static final String DIR = "embed";

    private final Embedder embedder;
    private final Map<String, Object> description;
    private final String type;
    private final ClassLoader loader;

    /**
     * @param embedder the embedder, owned (closed) by this stage
     * @param type its provider's name, added to what {@link Embedder#save} returns; null when the embedder's own
     *     parameters say what it is (the {@code detector} form)
     * @param description the YAML block as configured, for {@code detector.yaml} before saving
     */
    public EmbedStage(Embedder embedder, String type, Map<String, Object> description) {
        this.embedder = requireNonNull(embedder, "embedder is null");
        this.type = type;
        this.description = Map.copyOf(requireNonNull(description, "description is null"));
        this.loader = embedder.getClass().getClassLoader();
    }

    /** Shape of the (preprocessed) instances the stage takes, or null for any. */
    public Shape inputShape() {
        return embedder.inputShape();
    }

    /** Shape of one embedding: the detector's input shape. */
    public Shape outputShape() {
        return embedder.outputShape();
    }

    /** The embeddings of a preprocessed batch, labels kept. */
    public Batch apply(Batch batch) {
        return withLoader(() -> embedder.embed(batch));
    }

    /** The block as configured ({@code type} first). */
    public Map<String, Object> describe() {
        return description;
    }

    /**
     * Writes the embedding model's copy into {@code detectorDir}/{@value #DIR} and returns the {@code embed} block of
     * {@code detector.yaml} that loads it, paths relative to {@code detectorDir}.
     */
    public Map<String, Object> save(Path detectorDir) {
        Path dir = detectorDir.resolve(DIR);
        Map<String, Object> m = new LinkedHashMap<>();
        if (type != null) {
            m.put("type", type);
        }
        m.putAll(withLoader(() -> {
            try {
                Files.createDirectory(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(dir + ": cannot create: " + e.getMessage(), e);
            }
            return embedder.save(dir, detectorDir);
        }));
        return m;
    }

    private <T> T withLoader(Supplier<T> call) {
        return Pipeline.withLoader(loader, call);
    }

    @Override
    public void close() {
        embedder.close();
    }

    @Override
    public String toString() {
        return "EmbedStage" + description;
    }
}
