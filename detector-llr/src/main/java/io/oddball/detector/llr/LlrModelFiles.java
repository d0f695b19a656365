package io.oddball.detector.llr;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Npy;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ModelFormatException;
import io.oddball.detector.llr.pixelcnn.PixelCnn;
import io.oddball.tf.TfOptions;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.io.ModelProperties;
import io.oddball.tf.kernels.Kernels;
import io.oddball.tf.layers.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of a saved LLR detector: {@code llr.properties} (format version, instance shape, parameter count, what
 * training did) and {@code savedmodel/}, a TensorFlow SavedModel (tag {@code serve}, signature
 * {@code serving_default}: {@code input} float {@code [-1, H, W, C]} 8-bit values → {@code feature_scores} (−LLR per
 * value), {@code log_prob_semantic}, {@code log_prob_background} (same shape) and {@code params_semantic},
 * {@code params_background} (the mixture parameters, for sampling)) holding both models. Format 2 adds the
 * {@code calibration.*} statistics of held-out training images ({@link LlrScores.Calibration}) that the typicality
 * and combined scores need, and {@code calibration.npy} (float32 {@code [3, images]}: their −LLR, S and typicality,
 * each sorted); a format-1 detector loads and scores with the scores that need none.
 */
final class LlrModelFiles {
    static final int FORMAT_VERSION = 2;
    static final String PROPERTIES = "llr.properties";
    static final String SAVED_MODEL = "savedmodel";
    static final String CALIBRATION = "calibration.npy";

    private LlrModelFiles() {
    }

    /**
     * Writes {@code f} into {@code dir}. The SavedModel holds TensorFlow's stock ops only (rebuilt from the weights
     * where the options use Oddball's op library, {@link Kernels}), so that any TensorFlow runtime loads it.
     */
    static void write(Path dir, LlrDetector.Fitted f) {
        Map<String, String> v = new LinkedHashMap<>();
        Shape s = f.net().instance();
        v.put("instanceShape", s.dim(0) + "x" + s.dim(1) + "x" + s.dim(2));
        v.put("parametersPerModel", String.valueOf(f.net().parameterCount()));
        if (f.history() != null) {
            v.put("epochs", String.valueOf(f.history().epochs()));
            v.put("outcome", f.history().outcome().name());
            v.put("trainImagesPerSecond", String.format(java.util.Locale.ROOT, "%.1f",
                    f.history().imagesPerSecond()));
            if (!f.history().loss().isEmpty()) {
                v.put("finalSemanticBitsPerDim", String.valueOf(f.history().loss().get(f.history().epochs() - 1)));
            }
        }
        if (f.calibration() != null) {
            v.putAll(f.calibration().toMap());
            f.calibration().writeHeldOutScores(dir.resolve(CALIBRATION));
        }
        // a graph holding the fused ops is exported as the same weights in TensorFlow's stock ops (InferenceModel)
        f.model().export(dir.resolve(SAVED_MODEL));
        ModelProperties.write(dir.resolve(PROPERTIES), FORMAT_VERSION, v,
                "Oddball likelihood-ratio detector; both PixelCNN++ models are the SavedModel in " + SAVED_MODEL + "/");
    }

    static LlrDetector.Fitted read(Path dir, LlrConfig config, DetectorContext context) {
        ModelProperties p = ModelProperties.read(dir.resolve(PROPERTIES), "the LLR state file", FORMAT_VERSION);
        String[] dims = p.value("instanceShape").split("x");
        Shape s;
        try {
            if (dims.length != 3) {
                throw new NumberFormatException(p.value("instanceShape"));
            }
            s = Shape.of(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]));
        } catch (NumberFormatException e) {
            throw new ModelFormatException(p.file() + ": instanceShape: expected HxWxC, found '"
                    + p.value("instanceShape") + "'");
        }
        PixelCnn net;
        try {
            net = new PixelCnn(config.model(), s);
        } catch (IllegalArgumentException | io.oddball.api.error.ConfigException e) {
            throw new ModelFormatException(p.file() + ": " + e.getMessage());
        }
        long count = p.longValue("parametersPerModel");
        if (count != net.parameterCount()) {
            throw new ModelFormatException(p.file() + ": parametersPerModel: expected " + net.parameterCount()
                    + " (the network of detector.yaml), found " + count);
        }
        LlrScores.Calibration calibration = calibration(p, dir.resolve(CALIBRATION));
        if (calibration == null && LlrScores.CALIBRATED.contains(config.score())) {
            throw new ModelFormatException(p.file() + ": expected the calibration statistics (calibration.*) that "
                    + "score '" + config.score() + "' needs, found none (saved by an earlier Oddball): refit the "
                    + "detector, or set score to " + LlrScores.LLR + ", " + LlrScores.LIKELIHOOD + " or "
                    + LlrScores.COMPLEXITY + " in its detector.yaml");
        }
        TfOptions options = TfOptions.of(context);
        InferenceModel model = InferenceModel.load(dir.resolve(SAVED_MODEL), s, LlrGraphs.outputShapes(net),
                options);
        Weights weights;
        try {
            weights = model.weights(LlrGraphs.MODEL, LlrGraphs.specs(net));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        if (!Kernels.of(options).fused()) {
            return new LlrDetector.Fitted(net, model, null, weights, calibration);
        }
        // the same weights in the faster graph of the op library, the form a fit with these options builds
        model.close();
        return new LlrDetector.Fitted(net, LlrGraphs.inference(net, weights, context, options), null, weights,
                calibration);
    }

    /** The calibration statistics of {@code p} and {@code sortedFile}, or null when it has none (format 1); checked. */
    private static LlrScores.Calibration calibration(ModelProperties p, Path sortedFile) {
        if (!p.has("calibration.images")) {
            return null;
        }
        int images = p.intValue("calibration.images");
        if (!Files.isRegularFile(sortedFile)) {
            throw new ModelFormatException(sortedFile + ": expected the held-out scores the combined score needs "
                    + "(float32 [3, " + images + "]), found no file");
        }
        Npy.FloatArray a;
        try {
            a = Npy.readFloats(sortedFile);
        } catch (io.oddball.api.error.DataException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
        if (a.shape().length != 2 || a.shape()[0] != 3 || a.shape()[1] != images) {
            throw new ModelFormatException(sortedFile + ": expected float32 [3, " + images + "] (calibration.images "
                    + "of " + p.file().getFileName() + "), found shape " + java.util.Arrays.toString(a.shape()));
        }
        float[][] sorted = new float[3][];
        for (int k = 0; k < 3; k++) {
            sorted[k] = java.util.Arrays.copyOfRange(a.data(), k * images, (k + 1) * images);
        }
        LlrScores.Calibration c = new LlrScores.Calibration(images,
                p.doubleValue("calibration.nllMean"), p.doubleValue("calibration.nllSd"),
                p.doubleValue("calibration.llrMean"), p.doubleValue("calibration.llrSd"),
                p.doubleValue("calibration.complexityMean"), p.doubleValue("calibration.complexitySd"),
                p.doubleValue("calibration.typicalityMean"), p.doubleValue("calibration.typicalitySd"), sorted);
        if (!c.valid()) {
            throw new ModelFormatException(p.file() + ": calibration: expected finite means, positive finite "
                    + "standard deviations, more than 1 image and sorted finite held-out scores in " + CALIBRATION
                    + ", found " + c);
        }
        return c;
    }
}
