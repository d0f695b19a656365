package io.oddball.runtime.pipeline;

import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.runtime.data.ForwardingDataset;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Training data as the detector sees it: every batch checked for NaN/Inf, preprocessed and embedded (when the
 * pipeline has an embedding stage), and the first complete pass fingerprinted (SHA-256 of the shape and the raw
 * values), so a saved detector records what it was trained on.
 */
public final class TrainingData extends ForwardingDataset {
    private final Preprocessor preprocessor;
    private final EmbedStage embed;
    private volatile String fingerprint;
    private volatile long instances = -1;

    /** Wraps {@code raw} with the pipeline's preprocessing. */
    public TrainingData(Dataset raw, Preprocessor preprocessor) {
        this(raw, preprocessor, null);
    }

    /** Wraps {@code raw} with the pipeline's preprocessing, then its embedding stage (null for none). */
    public TrainingData(Dataset raw, Preprocessor preprocessor, EmbedStage embed) {
        super(raw);
        this.preprocessor = preprocessor;
        this.embed = embed;
    }

    /** {@code sha256:<hex>} once a pass has been completed, else null. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Number of instances seen in the first complete pass, or -1. */
    public long instances() {
        return instances;
    }

    @Override
    public Shape instanceShape() {
        return embed != null ? embed.outputShape() : source().instanceShape();
    }

    @Override
    public BatchIterator batches(int batchSize) {
        BatchIterator it = source().batches(batchSize);
        MessageDigest digest = fingerprint == null ? sha256() : null;
        if (digest != null) {
            digest.update(source().instanceShape().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return new BatchIterator() {
            private long seen;

            @Override
            public boolean hasNext() {
                boolean more = it.hasNext();
                if (!more && digest != null && fingerprint == null) {
                    if (seen == 0) {
                        throw new DataException(source().name() + ": expected at least one instance, found none");
                    }
                    instances = seen;
                    fingerprint = "sha256:" + HexFormat.of().formatHex(digest.digest());
                }
                return more;
            }

            @Override
            public Batch next() {
                Batch b = it.next();
                int bad = Pipeline.firstNonFinite(b);
                if (bad >= 0) {
                    throw new DataException(source().name() + ": instance "
                            + (seen + bad / Math.max(1, b.featuresPerInstance())) + ": expected finite "
                            + "values, found NaN or infinity (clean the data or drop such rows)");
                }
                if (digest != null) {
                    FloatBuffer d = b.data();
                    ByteBuffer bytes = ByteBuffer.allocate(d.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
                    bytes.asFloatBuffer().put(d);
                    digest.update(bytes.array());
                }
                seen += b.size();
                Batch x = preprocessor.apply(b);
                return embed == null ? x : embed.apply(x);
            }

            @Override
            public void close() {
                it.close();
            }
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
