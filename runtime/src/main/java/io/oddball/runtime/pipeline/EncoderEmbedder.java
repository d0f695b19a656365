package io.oddball.runtime.pipeline;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Embedder;
import io.oddball.api.Encoder;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code embed: {detector: DIR}} stage: the encoder of a saved Oddball detector (an autoencoder's latent code).
 * Raw instances go through that detector's own preprocessing (and embedding, if it has one) and then its
 * {@link Encoder}. Saving copies the saved detector's directory. Thread-safe (pipelines and encoders are).
 */
public final class EncoderEmbedder implements Embedder {
    private final Pipeline source;
    private final Encoder encoder;
    private final Path dir;
    private final Shape codeShape;

    /**
     * Takes over {@code source}, a loaded detector whose detector is an {@link Encoder}, loaded from {@code dir}.
     *
     * @throws IllegalArgumentException if its detector cannot encode
     */
    public EncoderEmbedder(Pipeline source, Path dir) {
        this.source = requireNonNull(source, "source is null");
        this.dir = requireNonNull(dir, "dir is null");
        if (!(source.detector() instanceof Encoder e) || e.codeShape() == null) {
            throw new IllegalArgumentException("detector '" + source.detectorName() + "' cannot encode");
        }
        this.encoder = e;
        this.codeShape = e.codeShape();
    }

    @Override
    public Shape inputShape() {
        return source.inputShape();
    }

    @Override
    public Shape outputShape() {
        return codeShape;
    }

    @Override
    public Batch embed(Batch batch) {
        requireNonNull(batch, "batch is null");
        Shape in = source.inputShape();
        if (in != null && !in.equals(batch.instanceShape())) {
            throw new DataException("embed: expected instances of shape " + in + " (the input of the embedding "
                    + "detector " + dir + "), found " + batch.instanceShape());
        }
        Batch x = source.prepare(batch);
        float[] codes = x.size() == 0 ? new float[0] : source.withLoader(() -> encoder.encode(x));
        return Batch.wrap(codes, codeShape.prepend(batch.size()), batch.hasLabels() ? batch.labels() : null);
    }

    @Override
    public Map<String, Object> save(Path target, Path baseDir) {
        try {
            copyTree(dir, target);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot copy the embedding detector to " + target + ": "
                    + e.getMessage(), e);
        }
        return Map.of("detector", baseDir.toAbsolutePath().relativize(target.toAbsolutePath()).toString());
    }

    /**
     * Copies the files and folders below {@code from} into {@code to} (which may exist; files must not). Only regular
     * files (or links to them) are copied: a FIFO would block the copy forever and a link to {@code /dev/zero} would
     * fill the disk, so any other entry is a {@link ModelFormatException} naming it, before anything is copied.
     */
    static void copyTree(Path from, Path to) throws IOException {
        // the folder itself may be a link (models/current -> v3): its real path is walked, links below it are checked
        from = from.toRealPath();
        List<Path> entries;
        try (Stream<Path> files = Files.walk(from)) {
            entries = files.toList();
        }
        for (Path p : entries) {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p)) {
                throw new ModelFormatException(p + ": expected a regular file or folder of the embedding detector "
                        + from + " (it is copied into the saved detector), found " + (!Files.isSymbolicLink(p)
                                ? "a FIFO, socket or device" : Files.isDirectory(p) ? "a symbolic link to a folder"
                                : Files.exists(p) ? "a symbolic link to a FIFO, socket or device"
                                : "a symbolic link to nothing"));
            }
        }
        for (Path p : entries) {
            Path target = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(target);
            } else {
                Files.copy(p, target);
            }
        }
    }

    @Override
    public void close() {
        source.close();
    }
}
