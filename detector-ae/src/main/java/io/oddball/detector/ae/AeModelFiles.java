package io.oddball.detector.ae;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ModelFormatException;
import io.oddball.tf.TfOptions;
import io.oddball.tf.autoencoder.EncoderDecoder;
import io.oddball.tf.autoencoder.NetworkFiles;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.io.ModelProperties;
import java.nio.file.Path;

/**
 * The files of a saved autoencoder detector: {@code ae.properties} (format version, architecture, instance shape,
 * parameter count, and what training did, for people) and {@code savedmodel/}, a TensorFlow SavedModel (tag
 * {@code serve}, signature {@code serving_default}: {@code input} float {@code [-1, shape]} → {@code reconstruction}
 * and {@code feature_scores}, same shape, and {@code embedding}, the latent code {@code [-1, latentDim]}) of the
 * inference graph only, loadable by TensorFlow in any language. Models saved before {@code embedding} existed (same
 * format version) load and score; they cannot encode.
 */
final class AeModelFiles {
    /** The format this code writes and the newest it reads. */
    static final int FORMAT_VERSION = 1;
    static final String PROPERTIES = "ae.properties";
    static final String SAVED_MODEL = "savedmodel";

    private AeModelFiles() {
    }

    static void write(Path dir, AeConfig config, AeDetector.Fitted f) {
        f.model().export(dir.resolve(SAVED_MODEL));
        ModelProperties.write(dir.resolve(PROPERTIES), FORMAT_VERSION, NetworkFiles.properties(config.network(), f),
                "Oddball autoencoder detector; the inference graph is the SavedModel in " + SAVED_MODEL + "/");
    }

    static AeDetector.Fitted read(Path dir, AeConfig config, DetectorContext context) {
        ModelProperties p = ModelProperties.read(dir.resolve(PROPERTIES), "the autoencoder state file",
                FORMAT_VERSION);
        EncoderDecoder net = NetworkFiles.network(p, config.network(),
                shape -> EncoderDecoder.of(config.network(), shape, "ae", false), EncoderDecoder::parameterCount);
        TfOptions options = TfOptions.of(context);
        InferenceModel model = InferenceModel.load(dir.resolve(SAVED_MODEL), net.input(),
                AeDetector.outputShapes(net.input()), options);
        Shape code = net.encoder().outputShape(net.input());
        Shape saved = model.outputShape(AeDetector.EMBEDDING);
        if (model.outputs().contains(AeDetector.EMBEDDING) && !code.equals(saved)) {
            model.close();
            throw new ModelFormatException(dir.resolve(SAVED_MODEL) + ": output " + AeDetector.EMBEDDING
                    + ": expected a float tensor of shape [-1, " + code.toString().replace("x", ", ") + "], found "
                    + saved);
        }
        // where the options use Oddball's op library: the same weights in the graph a fit here builds (faster)
        model = InferenceModel.inThisJvm(model, options, "ae", net.weights(), w -> AeDetector.inferenceModel(net, w,
                context, options));
        return new AeDetector.Fitted(net, model, null);
    }
}
