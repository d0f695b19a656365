package io.oddball.tf.autoencoder;

import static java.util.Objects.requireNonNull;

import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.Reconstructor;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.api.result.Scores;
import io.oddball.tf.StatefulDetector;
import io.oddball.tf.TfOptions;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.train.TrainingHistory;
import java.nio.file.Path;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The life cycle shared by the autoencoder detectors ({@code ae}, {@code vae}): fit once on finite data held in
 * memory, then score through an {@link InferenceModel} whose output {@value #FEATURE_SCORES} holds one score per
 * input element; save and close. A subclass writes only what differs: how to train ({@link #train}) and what to save
 * ({@link #write}).
 *
 * <p>Thread-safe after fit: {@link #score} may run on many threads; {@link #close} waits for running scores.
 *
 * @param <F> the fitted state
 */
public abstract class ReconstructionDetector<F extends ReconstructionDetector.Fitted> extends StatefulDetector<F>
        implements Reconstructor {
    /** The inference graph's output of per-element scores. */
    public static final String FEATURE_SCORES = "feature_scores";
    /** The inference graph's output of reconstructions. */
    public static final String RECONSTRUCTION = "reconstruction";
    /**
     * The inference graph's output of latent codes (the AE's code, the VAE's mean), for {@link io.oddball.api.Encoder};
     * optional: models saved before it existed lack it.
     */
    public static final String EMBEDDING = "embedding";
    /** Name of the inference graph's input. */
    public static final String INPUT = "input";

    private final DetectorContext context;
    private final TfOptions options;

    /** What a fitted detector holds: its instance shape, inference model and, when trained here, what training did. */
    public interface Fitted {
        /** The network. */
        Network network();

        /** The inference graph. */
        InferenceModel model();

        /** What training did; null for a loaded detector. */
        TrainingHistory history();

        /** Shape of one instance. */
        default Shape input() {
            return network().input();
        }

        /** Number of trainable values of the network. */
        default long parameterCount() {
            return network().parameterCount();
        }
    }

    /**
     * A detector named {@code name} (the prefix of its messages), unfitted when {@code state} is null, running with
     * the {@link TfOptions} of {@code context}'s settings.
     *
     * @throws io.oddball.api.error.ConfigException if the context's TensorFlow settings are bad
     */
    protected ReconstructionDetector(String name, F state, DetectorContext context) {
        super(name, state, f -> f.model().close());
        this.context = requireNonNull(context, "context is null");
        this.options = TfOptions.of(context);
    }

    /** The context this detector runs in. */
    protected DetectorContext context() {
        return context;
    }

    /** How this detector builds and runs its graphs: the options of its context's settings. */
    protected TfOptions tfOptions() {
        return options;
    }

    /** The fitted state; null before fit. */
    protected F fitted() {
        return state.peek();
    }

    @Override
    protected Shape inputShape(F f) {
        return f.input();
    }

    @Override
    public boolean hasFeatureScores() {
        return true;
    }

    /** What training did; null before fit and for a loaded detector. */
    public TrainingHistory history() {
        F f = state.peek();
        return f == null ? null : f.history();
    }

    /** Number of trainable values of the network; 0 before fit. */
    public long parameterCount() {
        F f = state.peek();
        return f == null ? 0 : f.parameterCount();
    }

    @Override
    public void fit(Dataset data, FitOptions options) {
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        state.fit(() -> {
            Batch all = data.readAll();
            String where = name() + ": " + data.name();
            if (all.size() == 0) {
                throw new DataException(where + ": expected at least 1 instance, found none");
            }
            float[] x = all.toArray();
            checkFinite(x, all.featuresPerInstance(), where);
            return train(all.instanceShape(), x, options);
        });
    }

    /**
     * Trains on {@code x}: {@code n × instance} finite values, row-major, at least one instance; returns the fitted
     * state with its inference model.
     */
    protected abstract F train(Shape instance, float[] x, FitOptions options);

    /** Writes the fitted state into {@code dir}. */
    protected abstract void write(Path dir, F state);

    /** The {@code [-1, instance]} float placeholder named {@value #INPUT}. */
    public static Placeholder<TFloat32> input(Ops tf, Shape instance) {
        long[] dims = new long[instance.rank() + 1];
        dims[0] = -1;
        for (int i = 0; i < instance.rank(); i++) {
            dims[i + 1] = instance.dim(i);
        }
        return tf.withName(INPUT).placeholder(TFloat32.class,
                Placeholder.shape(org.tensorflow.ndarray.Shape.of(dims)));
    }

    @Override
    public Scores score(Batch batch) {
        requireNonNull(batch, "batch is null");
        float[] fs = run(batch, FEATURE_SCORES);
        return Scores.ofFeatures(batch.size(), batch.instanceShape(), fs, null);
    }

    /** The reconstructions {@code x̂} of a batch (the inference graph's {@code reconstruction}), shape of the batch. */
    @Override
    public Batch reconstruct(Batch batch) {
        requireNonNull(batch, "batch is null");
        return Batch.wrap(run(batch, RECONSTRUCTION), batch.shape(), null);
    }

    /**
     * Output {@code output} of the inference model for a batch (checked: fitted, instance shape, finite values),
     * row-major.
     */
    protected final float[] run(Batch batch, String output) {
        return state.read(f -> {
            if (!f.input().equals(batch.instanceShape())) {
                throw new DataException(name() + ": expected instance shape " + f.input() + ", found "
                        + batch.instanceShape());
            }
            if (batch.size() == 0) {
                return new float[0];
            }
            float[] x = batch.toArray();
            checkFinite(x, batch.featuresPerInstance(), name() + ": scored batch");
            return f.model().run(x, batch.size(), inferenceBatchSize(), output)[0];
        });
    }

    /**
     * The {@value #EMBEDDING} output of a batch, row-major.
     *
     * @throws ModelFormatException if the model has no such output (saved by an older Oddball): refit it
     */
    protected final float[] runEmbedding(Batch batch) {
        requireNonNull(batch, "batch is null");
        F f = state.peek();
        if (f != null && f.model().outputShape(EMBEDDING) == null) {
            throw new ModelFormatException(name() + ": encode: expected a model with an '" + EMBEDDING + "' output, "
                    + "found only " + f.model().outputs() + " (saved by an older Oddball); refit it to use its "
                    + "encoder as an embedding");
        }
        return run(batch, EMBEDDING);
    }

    /** Most instances per TensorFlow run when scoring. */
    protected abstract int inferenceBatchSize();

    private static void checkFinite(float[] x, int features, String where) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new DataException(where + ": instance " + (i / features) + ", feature " + (i % features)
                        + ": expected a finite value, found " + x[i]);
            }
        }
    }
}
