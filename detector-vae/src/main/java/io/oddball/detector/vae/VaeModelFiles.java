package io.oddball.detector.vae;

import io.oddball.api.DetectorContext;
import io.oddball.api.error.ModelFormatException;
import io.oddball.tf.TfOptions;
import io.oddball.tf.autoencoder.NetworkFiles;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.io.ModelProperties;
import java.nio.file.Path;
import java.util.Map;

/**
 * The files of a saved VAE detector: {@code vae.properties} (format version, architecture, instance shape, parameter
 * count, latent size, {@code samples} and {@code scoreSeed} baked into the graph, and what training did) and
 * {@code savedmodel/}, a TensorFlow SavedModel (tag {@code serve}, signature {@code serving_default}: {@code input}
 * float {@code [-1, shape]} → {@code feature_scores} and {@code reconstruction}, same shape) of the inference graph
 * including the seeded sampling of the latent draws, loadable by TensorFlow in any language.
 */
final class VaeModelFiles {
    /** The format this code writes and the newest it reads. */
    static final int FORMAT_VERSION = 1;
    static final String PROPERTIES = "vae.properties";
    static final String SAVED_MODEL = "savedmodel";

    private VaeModelFiles() {
    }

    static void write(Path dir, VaeConfig config, VaeDetector.Fitted f) {
        Map<String, String> values = NetworkFiles.properties(config.network(), f);
        values.put("latentDim", String.valueOf(f.network().latentDim()));
        values.put("samples", String.valueOf(config.samples()));
        values.put("scoreSeed", String.valueOf(f.scoreSeed()));
        f.model().export(dir.resolve(SAVED_MODEL));
        ModelProperties.write(dir.resolve(PROPERTIES), FORMAT_VERSION, values,
                "Oddball variational autoencoder detector; the inference graph is the SavedModel in " + SAVED_MODEL
                        + "/");
    }

    static VaeDetector.Fitted read(Path dir, VaeConfig config, DetectorContext context) {
        ModelProperties p = ModelProperties.read(dir.resolve(PROPERTIES), "the VAE state file", FORMAT_VERSION);
        VaeNetwork net = NetworkFiles.network(p, config.network(), shape -> VaeNetwork.of(config.network(), shape, false),
                VaeNetwork::parameterCount);
        int samples = p.intValue("samples");
        if (samples != config.samples()) {
            throw new ModelFormatException(p.file() + ": samples: expected " + config.samples()
                    + " (as detector.yaml; the saved graph draws a fixed number), found " + samples);
        }
        TfOptions options = TfOptions.of(context);
        InferenceModel model = InferenceModel.load(dir.resolve(SAVED_MODEL), net.input(),
                VaeDetector.outputShapes(net.input()), options);
        long seed = p.longValue("scoreSeed");
        // where the options use Oddball's op library: the same weights in the graph a fit here builds (faster)
        model = InferenceModel.inThisJvm(model, options, "vae", net.weights(), w -> VaeDetector.inferenceModel(net,
                samples, seed, w, context, options));
        return new VaeDetector.Fitted(net, model, null, seed);
    }
}
