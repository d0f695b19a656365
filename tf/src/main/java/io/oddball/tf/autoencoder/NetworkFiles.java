package io.oddball.tf.autoencoder;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.tf.io.ModelProperties;
import io.oddball.tf.train.TrainingHistory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The state-file entries shared by the saved autoencoder detectors: what they write ({@code architecture},
 * {@code instanceShape}, {@code parameters} and what training did) and the checks on reading them back against the
 * detector's hyper-parameters, each failure a {@link ModelFormatException} naming the file and key.
 */
public final class NetworkFiles {
    private NetworkFiles() {
    }

    /** The common entries of a fitted network on {@code spec}. */
    public static Map<String, String> properties(NetworkSpec spec, ReconstructionDetector.Fitted f) {
        requireNonNull(spec, "spec is null");
        requireNonNull(f, "f is null");
        Map<String, String> values = new LinkedHashMap<>();
        values.put("architecture", spec.architecture().yamlName());
        values.put("instanceShape", f.input().toString());
        values.put("parameters", String.valueOf(f.parameterCount()));
        TrainingHistory h = f.history();
        if (h != null && h.epochs() > 0) {
            values.put("trainedEpochs", String.valueOf(h.epochs()));
            values.put("finalLoss", String.valueOf(h.loss().get(h.epochs() - 1)));
            values.put("trainingOutcome", h.outcome().name().toLowerCase(Locale.ROOT));
        }
        return values;
    }

    /**
     * Checks {@code architecture} against {@code spec} and returns the saved instance shape; {@code build} makes the
     * network for that shape (a DataException from it becomes a format error), whose parameter count must match.
     *
     * @param <N> the network
     */
    public static <N> N network(ModelProperties p, NetworkSpec spec, java.util.function.Function<Shape, N> build,
            java.util.function.ToLongFunction<N> parameterCount) {
        String arch = p.value("architecture");
        if (!arch.equals(spec.architecture().yamlName())) {
            throw new ModelFormatException(p.file() + ": architecture: expected " + spec.architecture().yamlName()
                    + " (as detector.yaml), found " + arch);
        }
        Shape shape;
        try {
            shape = Shape.parse(p.value("instanceShape"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(p.file() + ": instanceShape: expected dimensions like 32x32x3, found "
                    + p.value("instanceShape"));
        }
        N net;
        try {
            net = build.apply(shape);
        } catch (DataException | IllegalArgumentException | ArithmeticException e) {
            // a hand-edited or corrupted shape can overflow the layers' arithmetic: a format error, not an internal one
            throw new ModelFormatException(p.file() + ": instanceShape: expected a shape the " + spec.architecture()
                    .yamlName() + " network accepts, found " + p.value("instanceShape") + " (" + e.getMessage() + ")",
                    e);
        }
        long params = p.longValue("parameters");
        long expected = parameterCount.applyAsLong(net);
        if (params != expected) {
            throw new ModelFormatException(p.file() + ": parameters: expected " + expected + " for " + spec.toMap()
                    + " on " + shape + ", found " + params);
        }
        return net;
    }
}
