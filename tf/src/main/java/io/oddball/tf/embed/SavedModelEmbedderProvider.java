package io.oddball.tf.embed;

import static java.util.Objects.requireNonNull;

import io.oddball.api.ConfigSchema;
import io.oddball.api.DetectorContext;
import io.oddball.api.Embedder;
import io.oddball.api.EmbedderProvider;
import io.oddball.api.Params;
import io.oddball.api.error.ConfigException;
import io.oddball.tf.TfOptions;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.io.UserSavedModel;
import java.nio.file.Path;

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
        int batchSize = params.getInt("batchSize", DEFAULT_BATCH_SIZE);
        if (batchSize < 1) {
            params.problem("batchSize", "an integer >= 1", batchSize);
        }
        UserSavedModel model = UserSavedModel.open(params, baseDir, TfOptions.of(context));
        if (model == null || !params.problems().isEmpty()) {
            if (model != null) {
                model.close();
            }
            throw new ConfigException(params.problems());
        }
        return new SavedModelEmbedder(model, batchSize);
    }
}
