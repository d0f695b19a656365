package com.example.zscore;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.tf.io.ModelProperties;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of a saved zscore detector, in the {@code model/} folder beside the runtime's {@code detector.yaml}
 * (which holds the hyper-parameters): {@code zscore.properties} (format version, instance shape, training count) and
 * {@code moments.bin} (the float32 means, then the float32 variances, big-endian: 8 bytes per feature). Reading
 * checks each against the other and names the file and what is wrong.
 */
final class ZScoreModelFiles {
    /** The format this code writes and the newest it reads. */
    static final int FORMAT_VERSION = 1;
    static final String PROPERTIES = "zscore.properties";
    static final String MOMENTS = "moments.bin";

    private ZScoreModelFiles() {
    }

    static void write(Path dir, ZScoreDetector.Fitted f) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("instanceShape", f.inputShape().toString());
        p.put("count", String.valueOf(f.count()));
        ModelProperties.write(dir.resolve(PROPERTIES), FORMAT_VERSION, p, "Oddball zscore detector state");
        Path file = dir.resolve(MOMENTS);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (float v : f.mean()) {
                out.writeFloat(v);
            }
            for (float v : f.variance()) {
                out.writeFloat(v);
            }
        } catch (IOException e) {
            throw new DataException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    static ZScoreDetector read(Path dir, ZScoreConfig config, DetectorContext context) {
        ModelProperties p = ModelProperties.read(dir.resolve(PROPERTIES), "the zscore state file", FORMAT_VERSION);
        Shape shape;
        try {
            shape = Shape.parse(p.value("instanceShape"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(p.file() + ": instanceShape: expected dimensions like 3 or 28x28x1, found "
                    + p.value("instanceShape"));
        }
        long count = p.longValue("count");
        if (count < 1) {
            throw new ModelFormatException(p.file() + ": count: expected an integer >= 1, found " + count);
        }
        int dim = (int) shape.size();
        Path file = dir.resolve(MOMENTS);
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": expected the means and variances, found no file");
        }
        float[] mean = new float[dim];
        float[] variance = new float[dim];
        try {
            long size = Files.size(file);
            if (size != 8L * dim) {
                throw new ModelFormatException(file + ": expected " + 8L * dim + " bytes (" + dim
                        + " means and variances, float32), found " + size);
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                for (int j = 0; j < dim; j++) {
                    mean[j] = in.readFloat();
                }
                for (int j = 0; j < dim; j++) {
                    variance[j] = in.readFloat();
                }
            }
        } catch (EOFException e) {
            throw new ModelFormatException(file + ": expected " + 8L * dim + " bytes, found fewer", e);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        for (int j = 0; j < dim; j++) {
            if (!Float.isFinite(mean[j]) || !(variance[j] >= 0) || Float.isInfinite(variance[j])) {
                throw new ModelFormatException(file + ": feature " + j + ": expected a finite mean and variance "
                        + ">= 0, found " + mean[j] + " and " + variance[j]);
            }
        }
        ZScoreGraph graph = new ZScoreGraph(dim, context);
        ZScoreDetector.Fitted fitted = new ZScoreDetector.Fitted(shape, count, mean, variance,
                ZScoreDetector.scale(variance, config.epsilon()), graph);
        return new ZScoreDetector(config, fitted, context);
    }
}
