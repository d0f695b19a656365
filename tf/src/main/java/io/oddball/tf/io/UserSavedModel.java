package io.oddball.tf.io;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Params;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ModelFormatException;
import io.oddball.tf.TfOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;

/**
 * A user's TensorFlow SavedModel named in a YAML block ({@code path}, {@code signature}, {@code input},
 * {@code output}), opened as an {@link InferenceModel} that runs one float output of one signature: the
 * {@code saved-model} embedding stage and the {@code ae} detector's own encoder/decoder use it.
 *
 * @param dir the SavedModel directory
 * @param signature the signature key
 * @param input the signature input fed (null: its only input)
 * @param output the signature output fetched
 * @param model the loaded model (owned by this record: {@link #close} frees it)
 * @param outputShape instance shape of {@code output}
 */
public record UserSavedModel(Path dir, String signature, String input, String output, InferenceModel model,
        Shape outputShape) implements AutoCloseable {

    public UserSavedModel {
        requireNonNull(dir, "dir is null");
        requireNonNull(signature, "signature is null");
        requireNonNull(output, "output is null");
        requireNonNull(model, "model is null");
        requireNonNull(outputShape, "outputShape is null");
    }

    /**
     * Reads {@code path} (required; absolute, or relative to {@code baseDir}), {@code signature}
     * ({@code serving_default}), {@code input} and {@code output} (required only when the signature has several) from
     * {@code p} and loads that SavedModel. Every problem (no SavedModel there, no such signature, input or output, not
     * a float tensor of shape {@code [-1, fixed instance dimensions]}) is recorded in {@code p}, naming what the
     * model offers; then null is returned and nothing stays open. The model runs at the inference precision of
     * {@code options}.
     */
    public static UserSavedModel open(Params p, Path baseDir, TfOptions options) {
        requireNonNull(p, "p is null");
        requireNonNull(baseDir, "baseDir is null");
        requireNonNull(options, "options is null");
        String path = p.requireString("path");
        String sigKey = p.getString("signature", InferenceModel.SIGNATURE);
        String input = p.getString("input", null);
        String output = p.getString("output", null);
        if (path == null) {
            return null;
        }
        Path dir = baseDir.resolve(path).normalize();
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            p.problem("path", "a TensorFlow SavedModel directory (with saved_model.pb; looked in " + dir + ")", path);
            return null;
        }
        SavedModelBundle bundle;
        try {
            bundle = InferenceModel.loadBundle(dir, options);
        } catch (ModelFormatException e) {
            p.problem("path", "a loadable SavedModel (" + e.getMessage() + ")", path);
            return null;
        }
        try {
            Signature sig = InferenceModel.signature(bundle, sigKey);
            if (sig == null) {
                p.problem("signature", "a signature of " + dir + " " + InferenceModel.signatureKeys(bundle), sigKey);
                bundle.close();
                return null;
            }
            int before = p.problems().size();
            input = choose(p, "input", input, sig.getInputs(), sigKey);
            output = choose(p, "output", output, sig.getOutputs(), sigKey);
            if (p.problems().size() > before) {
                bundle.close();
                return null;
            }
            InferenceModel model = InferenceModel.of(bundle, dir, sig, input);
            return new UserSavedModel(dir, sigKey, input, output, model, model.outputShape(output));
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /** Shape of one input instance. */
    public Shape inputShape() {
        return model.instanceShape();
    }

    /** Runs {@code n} instances (row-major) through the model in batches of at most {@code batchSize}. */
    public float[] run(float[] x, int n, int batchSize) {
        return n == 0 ? new float[0] : model.run(x, n, batchSize, output)[0];
    }

    /**
     * Copies the SavedModel into {@code target} and returns the YAML block that opens the copy, its {@code path}
     * relative to {@code baseDir}.
     */
    public Map<String, Object> save(Path target, Path baseDir) {
        model.export(target);
        return describe(baseDir.toAbsolutePath().relativize(target.toAbsolutePath()).toString());
    }

    /** The YAML block of this model with {@code path}. */
    public Map<String, Object> describe(String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("signature", signature);
        if (input != null) {
            m.put("input", input);
        }
        m.put("output", output);
        return m;
    }

    @Override
    public void close() {
        model.close();
    }

    /** The named (or only) tensor of a signature, which must be float with a fixed instance shape. */
    private static String choose(Params p, String key, String name, Map<String, Signature.TensorDescription> all,
            String sigKey) {
        String kind = "an " + key + " of signature " + sigKey + " " + new TreeSet<>(all.keySet());
        if (name == null && all.size() != 1) {
            p.problem(key, kind + " (it has " + all.size() + ", so name one)", null);
            return null;
        }
        String chosen = name == null ? all.keySet().iterator().next() : name;
        Signature.TensorDescription d = all.get(chosen);
        if (d == null) {
            p.problem(key, kind, chosen);
            return null;
        }
        Shape shape = InferenceModel.instanceShapeOf(d);
        if (shape == null || d.dataType != DataType.DT_FLOAT) {
            p.problem(key, "'" + chosen + "' to be a float tensor of shape [-1, fixed instance dimensions]",
                    d.dataType + " " + d.shape);
        }
        return chosen;
    }
}
