package io.oddball.detector.ae;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.Encoder;
import io.oddball.api.FitOptions;
import io.oddball.api.Params;
import io.oddball.api.Reconstructor;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.api.result.Scores;
import io.oddball.tf.DetectorParams;
import io.oddball.tf.FittedState;
import io.oddball.tf.TfOptions;
import io.oddball.tf.io.ModelProperties;
import io.oddball.tf.io.UserSavedModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ae} detector on the user's own trained autoencoder ({@code architecture: saved-model}), as Alibi
 * Detect's {@code OutlierAE(ae=...)} takes a trained model: either an {@code encoder} and a {@code decoder}
 * SavedModel (instance → code → reconstruction), or one {@code model} SavedModel (instance → reconstruction). Each is
 * a block {@code {path, signature, input, output}} (see {@link UserSavedModel}); relative paths are resolved against
 * the working directory. The feature score of each element is {@code (x − x̂)²}, as for the built-in architectures.
 *
 * <p>{@code fit} trains nothing — the models come trained (a SavedModel from Keras holds no trainable graph for
 * TensorFlow Java) — it checks that the data have the models' input shape; the runtime then sets the threshold on the
 * data as usual. Saving copies the SavedModels into the detector ({@code encoder/}, {@code decoder/} or
 * {@code model/}, next to {@code ae.properties}), so the saved detector does not depend on the original files.
 *
 * <p>Thread-safe after fit: {@link #score} may run on many threads; {@link #close} waits for running scores.
 */
final class SavedModelAe implements Detector, Reconstructor, Encoder {
    private static final Logger LOG = LoggerFactory.getLogger(SavedModelAe.class);

    /** The {@code architecture} value. */
    static final String ARCHITECTURE = "saved-model";
    private static final String ENCODER = "encoder";
    private static final String DECODER = "decoder";
    private static final String MODEL = "model";

    /**
     * The loaded models: {@code first} is the encoder and {@code second} the decoder, or {@code first} the whole
     * autoencoder and {@code second} null.
     */
    record Models(UserSavedModel first, UserSavedModel second) implements AutoCloseable {
        Shape input() {
            return first.inputShape();
        }

        boolean canEncode() {
            return second != null;
        }

        float[] reconstruct(float[] x, int n, int batchSize) {
            float[] out = first.run(x, n, batchSize);
            return second == null ? out : second.run(out, n, batchSize);
        }

        @Override
        public void close() {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    private final Models models;
    private final Map<String, Object> hyperParameters;
    private final int inferenceBatchSize;
    private final FittedState<Models> state;

    private SavedModelAe(Models models, Map<String, Object> hyperParameters, int inferenceBatchSize,
            boolean fitted) {
        this.models = requireNonNull(models, "models is null");
        this.hyperParameters = Map.copyOf(hyperParameters);
        this.inferenceBatchSize = inferenceBatchSize;
        this.state = new FittedState<>(AeDetectorProvider.NAME, fitted ? models : null, Models::close);
    }

    /** Whether {@code p} asks for this architecture (without consuming anything). */
    static boolean requested(Params p) {
        return ARCHITECTURE.equals(p.asMap().get("architecture"));
    }

    /**
     * The detector of YAML block {@code p} (architecture {@code saved-model}), its models loaded from paths relative
     * to {@code baseDir} and run as {@code options} say; every problem is recorded in {@code p} and then null is
     * returned.
     */
    static SavedModelAe create(Params p, Path baseDir, TfOptions options) {
        p.getString("architecture", ARCHITECTURE);
        int batch = DetectorParams.positive(p, "inferenceBatchSize", AeConfig.DEFAULT_INFERENCE_BATCH);
        Models models = open(p, baseDir, options);
        if (models == null || !p.problems().isEmpty()) {
            if (models != null) {
                models.close();
            }
            return null;
        }
        Map<String, Object> hp = new LinkedHashMap<>();
        hp.put("architecture", ARCHITECTURE);
        if (models.second() != null) {
            hp.put(ENCODER, models.first().describe(models.first().dir().toString()));
            hp.put(DECODER, models.second().describe(models.second().dir().toString()));
        } else {
            hp.put(MODEL, models.first().describe(models.first().dir().toString()));
        }
        hp.put("inferenceBatchSize", batch);
        return new SavedModelAe(models, hp, batch, false);
    }

    /**
     * The saved detector in {@code modelDir} whose {@code detector.yaml} has {@code hyperParameters}, run as
     * {@code options} say.
     */
    static SavedModelAe load(Path modelDir, Map<String, Object> hyperParameters, TfOptions options) {
        ModelProperties props = ModelProperties.read(modelDir.resolve(AeModelFiles.PROPERTIES),
                "the autoencoder state file", AeModelFiles.FORMAT_VERSION);
        String arch = props.value("architecture");
        if (!arch.equals(ARCHITECTURE)) {
            throw new ModelFormatException(props.file() + ": architecture: expected " + ARCHITECTURE
                    + " (as detector.yaml), found " + arch);
        }
        // The saved copies, opened with the signature, input and output detector.yaml names.
        Map<String, Object> local = new LinkedHashMap<>(hyperParameters);
        for (String key : List.of(ENCODER, DECODER, MODEL)) {
            if (local.get(key) instanceof Map<?, ?> m) {
                Map<String, Object> block = new LinkedHashMap<>();
                m.forEach((k, v) -> block.put(String.valueOf(k), v));
                block.put("path", key);
                local.put(key, block);
            }
        }
        Params p = Params.of(local);
        SavedModelAe d = create(p, modelDir, options);
        try {
            p.finish();
        } catch (ConfigException e) {
            if (d != null) {
                d.models.close();
            }
            throw new ModelFormatException(modelDir + ": hyper-parameters: " + e.getMessage(), e);
        }
        Shape saved;
        try {
            saved = Shape.parse(props.value("instanceShape"));
        } catch (IllegalArgumentException e) {
            saved = null;
        }
        if (!d.models.input().equals(saved)) {
            d.models.close();
            throw new ModelFormatException(props.file() + ": instanceShape: expected " + d.models.input()
                    + " (the saved model's input), found " + props.value("instanceShape"));
        }
        // the copies replace the paths the models were first loaded from
        Map<String, Object> hp = new LinkedHashMap<>(d.hyperParameters);
        for (String key : List.of(ENCODER, DECODER, MODEL)) {
            if (hyperParameters.containsKey(key)) {
                hp.put(key, hyperParameters.get(key));
            }
        }
        return new SavedModelAe(d.models, hp, d.inferenceBatchSize, true);
    }

    private static Models open(Params p, Path baseDir, TfOptions options) {
        boolean pair = p.has(ENCODER) || p.has(DECODER);
        if (pair == p.has(MODEL)) {
            p.problem(pair ? MODEL : ENCODER, "either 'encoder' and 'decoder' or 'model' (a SavedModel block "
                    + "{path, signature, input, output}) for architecture " + ARCHITECTURE, pair ? "both" : "neither");
            return null;
        }
        if (!pair) {
            UserSavedModel m = UserSavedModel.open(p.child(MODEL), baseDir, options);
            if (m != null && !m.outputShape().equals(m.inputShape())) {
                p.problem(MODEL, "a model whose output '" + m.output() + "' has its input's shape "
                        + m.inputShape() + " (a reconstruction)", m.outputShape().toString());
            }
            return m == null ? null : new Models(m, null);
        }
        if (!p.has(DECODER) || !p.has(ENCODER)) {
            p.problem(p.has(ENCODER) ? DECODER : ENCODER, "a SavedModel block {path, signature, input, output} "
                    + "(encoder and decoder go together)", null);
        }
        UserSavedModel enc = p.has(ENCODER) ? UserSavedModel.open(p.child(ENCODER), baseDir, options) : null;
        UserSavedModel dec = p.has(DECODER) ? UserSavedModel.open(p.child(DECODER), baseDir, options) : null;
        if (enc != null && dec != null) {
            if (!dec.inputShape().equals(enc.outputShape())) {
                p.problem(DECODER, "a decoder whose input has the shape of the encoder's output '" + enc.output()
                        + "' (" + enc.outputShape() + ")", dec.inputShape().toString());
            }
            if (!dec.outputShape().equals(enc.inputShape())) {
                p.problem(DECODER, "a decoder whose output '" + dec.output() + "' has the encoder's input shape "
                        + enc.inputShape(), dec.outputShape().toString());
            }
            return new Models(enc, dec);
        }
        if (enc != null) {
            enc.close();
        }
        if (dec != null) {
            dec.close();
        }
        return null;
    }

    @Override
    public String name() {
        return AeDetectorProvider.NAME;
    }

    @Override
    public Shape inputShape() {
        return state.peek() == null ? null : models.input();
    }

    @Override
    public boolean hasFeatureScores() {
        return true;
    }

    @Override
    public void fit(Dataset data, FitOptions options) {
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        state.fit(() -> {
            if (!models.input().equals(data.instanceShape())) {
                throw new DataException("ae: " + data.name() + ": expected instances of shape " + models.input()
                        + " (the input of " + models.first().dir() + "), found " + data.instanceShape());
            }
            LOG.info("ae: using the trained autoencoder {} as it is: fit trains nothing",
                    models.second() == null ? models.first().dir() : models.first().dir() + " + "
                            + models.second().dir());
            return models;
        });
    }

    @Override
    public Scores score(Batch batch) {
        requireNonNull(batch, "batch is null");
        return state.read(m -> {
            float[] x = checked(m, batch);
            float[] xhat = m.reconstruct(x, batch.size(), inferenceBatchSize);
            float[] fs = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                float d = x[i] - xhat[i];
                fs[i] = d * d;
            }
            return Scores.ofFeatures(batch.size(), batch.instanceShape(), fs, null);
        });
    }

    @Override
    public Batch reconstruct(Batch batch) {
        requireNonNull(batch, "batch is null");
        return state.read(m -> Batch.wrap(m.reconstruct(checked(m, batch), batch.size(), inferenceBatchSize),
                batch.shape(), null));
    }

    @Override
    public Shape codeShape() {
        return state.peek() == null || !models.canEncode() ? null : models.first().outputShape();
    }

    @Override
    public float[] encode(Batch batch) {
        requireNonNull(batch, "batch is null");
        return state.read(m -> {
            if (!m.canEncode()) {
                throw new ModelFormatException("ae: encode: expected an autoencoder given as 'encoder' and "
                        + "'decoder', found one 'model' (" + m.first().dir() + "), whose code is not an output");
            }
            return m.first().run(checked(m, batch), batch.size(), inferenceBatchSize);
        });
    }

    private static float[] checked(Models m, Batch batch) {
        if (!m.input().equals(batch.instanceShape())) {
            throw new DataException("ae: expected instance shape " + m.input() + ", found " + batch.instanceShape());
        }
        float[] x = batch.toArray();
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                int f = batch.featuresPerInstance();
                throw new DataException("ae: scored batch: instance " + (i / f) + ", feature " + (i % f)
                        + ": expected a finite value, found " + x[i]);
            }
        }
        return x;
    }

    @Override
    public Map<String, Object> hyperParameters() {
        return hyperParameters;
    }

    @Override
    public void save(Path modelDir) {
        requireNonNull(modelDir, "modelDir is null");
        state.read(m -> {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("architecture", ARCHITECTURE);
            values.put("instanceShape", m.input().toString());
            if (m.canEncode()) {
                m.first().save(modelDir.resolve(ENCODER), modelDir);
                m.second().save(modelDir.resolve(DECODER), modelDir);
                values.put("codeShape", m.first().outputShape().toString());
            } else {
                m.first().save(modelDir.resolve(MODEL), modelDir);
            }
            ModelProperties.write(modelDir.resolve(AeModelFiles.PROPERTIES), AeModelFiles.FORMAT_VERSION, values,
                    "Oddball autoencoder detector on the user's own SavedModels, copied into " + (m.canEncode()
                            ? ENCODER + "/ and " + DECODER + "/" : MODEL + "/"));
            return null;
        });
    }

    @Override
    public void close() {
        boolean fitted = state.peek() != null;
        state.close();
        if (!fitted) {
            models.close();
        }
    }

    @Override
    public String toString() {
        return "SavedModelAe[" + hyperParameters + (state.peek() == null ? ", unfitted" : ", fitted") + "]";
    }
}
