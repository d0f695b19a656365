package io.oddball.detector.ae;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.nets.EncoderDecoder;
import io.oddball.tf.train.TrainingHistory;
import io.oddball.tf.io.ModelProperties;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The files of a saved autoencoder detector: {@code ae.properties} (format version, architecture, instance shape,
 * parameter count, and what training did, for people) and {@code savedmodel/}, a TensorFlow SavedModel (tag
 * {@code serve}, signature {@code serving_default}: {@code input} float {@code [-1, shape]} → {@code reconstruction}
 * and {@code feature_scores}, same shape) of the inference graph only, loadable by TensorFlow in any language.
 */
final class AeModelFiles {
    /** The format this code writes and the newest it reads. */
    static final int FORMAT_VERSION = 1;
    static final String PROPERTIES = "ae.properties";
    static final String SAVED_MODEL = "savedmodel";

    private AeModelFiles() {
    }

    static void write(Path dir, AeConfig config, AeDetector.Fitted f) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("architecture", config.architecture().yamlName());
        values.put("instanceShape", f.network().input().toString());
        values.put("parameters", String.valueOf(f.network().parameterCount()));
        TrainingHistory h = f.history();
        if (h != null && h.epochs() > 0) {
            values.put("trainedEpochs", String.valueOf(h.epochs()));
            values.put("finalLoss", String.valueOf(h.loss().get(h.epochs() - 1)));
            values.put("trainingOutcome", h.outcome().name().toLowerCase(Locale.ROOT));
        }
        f.model().export(dir.resolve(SAVED_MODEL));
        ModelProperties.write(dir.resolve(PROPERTIES), FORMAT_VERSION, values,
                "Oddball autoencoder detector; the inference graph is the SavedModel in " + SAVED_MODEL + "/");
    }

    static AeDetector.Fitted read(Path dir, AeConfig config, DetectorContext context) {
        ModelProperties p = ModelProperties.read(dir.resolve(PROPERTIES), "the autoencoder state file",
                FORMAT_VERSION);
        Path file = p.file();
        String arch = p.value("architecture");
        if (!arch.equals(config.architecture().yamlName())) {
            throw new ModelFormatException(file + ": architecture: expected " + config.architecture().yamlName()
                    + " (as detector.yaml), found " + arch);
        }
        Shape shape;
        try {
            shape = Shape.parse(p.value("instanceShape"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": instanceShape: expected dimensions like 32x32x3, found "
                    + p.value("instanceShape"));
        }
        EncoderDecoder net;
        try {
            net = EncoderDecoder.of(config.network(), shape, "ae");
        } catch (DataException e) {
            throw new ModelFormatException(file + ": instanceShape: " + e.getMessage(), e);
        }
        long params = p.longValue("parameters");
        if (params != net.parameterCount()) {
            throw new ModelFormatException(file + ": parameters: expected " + net.parameterCount() + " for "
                    + config.toMap() + " on " + shape + ", found " + params);
        }
        InferenceModel model = InferenceModel.load(dir.resolve(SAVED_MODEL), shape, AeDetector.outputShapes(shape));
        return new AeDetector.Fitted(net, model, null);
    }
}
