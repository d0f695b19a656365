package io.oddball.detector.ae;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.train.TrainingHistory;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

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
        Properties p = new Properties();
        p.setProperty("formatVersion", String.valueOf(FORMAT_VERSION));
        p.setProperty("architecture", config.architecture().yamlName());
        p.setProperty("instanceShape", f.network().input().toString());
        p.setProperty("parameters", String.valueOf(f.network().parameterCount()));
        TrainingHistory h = f.history();
        if (h != null && h.epochs() > 0) {
            p.setProperty("trainedEpochs", String.valueOf(h.epochs()));
            p.setProperty("finalLoss", String.valueOf(h.loss().get(h.epochs() - 1)));
            p.setProperty("trainingOutcome", h.outcome().name().toLowerCase(java.util.Locale.ROOT));
        }
        f.model().export(dir.resolve(SAVED_MODEL));
        try (Writer w = Files.newBufferedWriter(dir.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
            p.store(w, "Oddball autoencoder detector; the inference graph is the SavedModel in " + SAVED_MODEL + "/");
        } catch (IOException e) {
            throw new DataException(dir.resolve(PROPERTIES) + ": cannot write: " + e.getMessage(), e);
        }
    }

    static AeDetector.Fitted read(Path dir, AeConfig config, DetectorContext context) {
        Path file = dir.resolve(PROPERTIES);
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": expected the autoencoder state file, found none");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        int version = intValue(p, file, "formatVersion");
        if (version > FORMAT_VERSION || version < 1) {
            throw new ModelFormatException(file + ": formatVersion: expected 1 to " + FORMAT_VERSION + ", found "
                    + version + (version > FORMAT_VERSION ? "; saved by a newer Oddball" : ""));
        }
        String arch = value(p, file, "architecture");
        if (!arch.equals(config.architecture().yamlName())) {
            throw new ModelFormatException(file + ": architecture: expected " + config.architecture().yamlName()
                    + " (as detector.yaml), found " + arch);
        }
        Shape shape;
        try {
            shape = Shape.parse(value(p, file, "instanceShape"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": instanceShape: expected dimensions like 32x32x3, found "
                    + p.getProperty("instanceShape"));
        }
        AeNetwork net;
        try {
            net = AeNetwork.of(config, shape);
        } catch (DataException e) {
            throw new ModelFormatException(file + ": instanceShape: " + e.getMessage(), e);
        }
        long params = longValue(p, file, "parameters");
        if (params != net.parameterCount()) {
            throw new ModelFormatException(file + ": parameters: expected " + net.parameterCount() + " for "
                    + config.toMap() + " on " + shape + ", found " + params);
        }
        InferenceModel model = InferenceModel.load(dir.resolve(SAVED_MODEL), shape, AeDetector.outputShapes(shape));
        return new AeDetector.Fitted(net, model, null);
    }

    private static String value(Properties p, Path file, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new ModelFormatException(file + ": " + key + ": expected a value, found none");
        }
        return v.trim();
    }

    private static int intValue(Properties p, Path file, String key) {
        return Math.toIntExact(longValue(p, file, key));
    }

    private static long longValue(Properties p, Path file, String key) {
        String v = value(p, file, key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file + ": " + key + ": expected an integer, found " + v);
        }
    }
}
