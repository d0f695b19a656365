package io.oddball.tf.embed;

import static java.util.Objects.requireNonNull;

import io.oddball.api.ConfigSchema;
import io.oddball.api.DetectorContext;
import io.oddball.api.Embedder;
import io.oddball.api.EmbedderProvider;
import io.oddball.api.Params;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.tf.io.InferenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;

/**
 * The {@code saved-model} embedding stage: runs one output of a signature of any TensorFlow SavedModel (tag
 * {@code serve}) over the pipeline's instances, e.g. a ResNet exported from Python without its classification head.
 * Keys: {@code path} (the SavedModel directory, required), {@code signature} ({@code serving_default}),
 * {@code input} and {@code output} (the signature's only input/output when absent), {@code batchSize} (256).
 */
public final class SavedModelEmbedderProvider implements EmbedderProvider {
    /** The YAML {@code embed.type}. */
    public static final String NAME = "saved-model";
    /** Version of this embedder implementation. */
    public static final String VERSION = "0.1.0";
    /** Default most instances per TensorFlow run. */
    public static final int DEFAULT_BATCH_SIZE = 256;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String description() {
        return "embeddings from one output of a TensorFlow SavedModel signature (e.g. a ResNet without its head)";
    }

    @Override
    public ConfigSchema configSchema() {
        return ConfigSchema.of(
                new ConfigSchema.Param("path", "string", "", "the SavedModel directory (with saved_model.pb)"),
                new ConfigSchema.Param("signature", "string", InferenceModel.SIGNATURE, "signature to run"),
                new ConfigSchema.Param("input", "string", "", "input to feed; the signature's only input if absent"),
                new ConfigSchema.Param("output", "string", "",
                        "output to fetch; the signature's only output if absent"),
                new ConfigSchema.Param("batchSize", "int", String.valueOf(DEFAULT_BATCH_SIZE),
                        "most instances per TensorFlow run (bounds memory)"));
    }

    @Override
    public Embedder create(Params params, Path baseDir, DetectorContext context) {
        requireNonNull(params, "params is null");
        requireNonNull(baseDir, "baseDir is null");
        requireNonNull(context, "context is null");
        String path = params.requireString("path");
        String sigKey = params.getString("signature", InferenceModel.SIGNATURE);
        String input = params.getString("input", null);
        String output = params.getString("output", null);
        int batchSize = params.getInt("batchSize", DEFAULT_BATCH_SIZE);
        if (batchSize < 1) {
            params.problem("batchSize", "an integer >= 1", batchSize);
        }
        if (path == null) {
            throw new ConfigException(params.problems());
        }
        Path dir = baseDir.resolve(path).normalize();
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            params.problem("path", "a TensorFlow SavedModel directory (with saved_model.pb; looked in " + dir + ")",
                    path);
            throw new ConfigException(params.problems());
        }
        SavedModelBundle bundle;
        try {
            bundle = InferenceModel.loadBundle(dir);
        } catch (ModelFormatException e) {
            params.problem("path", "a loadable SavedModel (" + e.getMessage() + ")", path);
            throw new ConfigException(params.problems());
        }
        try {
            Signature sig = InferenceModel.signature(bundle, sigKey);
            if (sig == null) {
                params.problem("signature", "a signature of " + dir + " " + InferenceModel.signatureKeys(bundle),
                        sigKey);
                throw new ConfigException(params.problems());
            }
            input = choose(params, "input", input, sig.getInputs(), sigKey);
            output = choose(params, "output", output, sig.getOutputs(), sigKey);
            if (!params.problems().isEmpty()) {
                throw new ConfigException(params.problems());
            }
            InferenceModel model = InferenceModel.of(bundle, dir, sig, input);
            return new SavedModelEmbedder(model, sigKey, input, output, batchSize);
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /** The named (or only) tensor of a signature, which must be float with a fixed instance shape. */
    private static String choose(Params params, String key, String name, Map<String, Signature.TensorDescription> all,
            String sigKey) {
        String kind = "an " + key + " of signature " + sigKey + " " + new java.util.TreeSet<>(all.keySet());
        if (name == null && all.size() != 1) {
            params.problem(key, kind + " (it has " + all.size() + ", so name one)", null);
            return null;
        }
        String chosen = name == null ? all.keySet().iterator().next() : name;
        Signature.TensorDescription d = all.get(chosen);
        if (d == null) {
            params.problem(key, kind, chosen);
            return null;
        }
        Shape shape = InferenceModel.instanceShapeOf(d);
        if (shape == null || d.dataType != DataType.DT_FLOAT) {
            params.problem(key, "'" + chosen + "' to be a float tensor of shape [-1, fixed instance dimensions]",
                    d.dataType + " " + d.shape);
        }
        return chosen;
    }
}
