package io.oddball.detector.llr;

import io.oddball.api.FitOptions;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.OddballException;
import io.oddball.tf.io.FileTrees;
import io.oddball.tf.io.ModelProperties;
import io.oddball.tf.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Epoch checkpoints of an {@code llr} fit in one folder: {@code last/} holds the TensorFlow checkpoint of every
 * variable of the training graph (both models, their averages, Adam's moments) and {@code progress.properties} (epochs
 * done, losses, optimiser steps, and a key of the configuration, fit options and data that the checkpoint belongs
 * to). Each save writes a new folder and renames it over {@code last/}, so a kill leaves the previous checkpoint.
 * (The scored weights of every epoch are kept only when the configuration asks for them: {@link LlrSnapshots}.)
 */
final class LlrCheckpoint {
    private static final int FORMAT_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(LlrCheckpoint.class);

    private final Path dir;
    private final String key;

    /** What {@link #find} returns: the run state and the TensorFlow checkpoint prefix. */
    record State(TrainingLoop.Resume resume, Path prefix) {
    }

    private LlrCheckpoint(Path dir, String key) {
        this.dir = dir;
        this.key = key;
    }

    /** Checkpoints in {@code dir}, or null when {@code dir} is null. */
    static LlrCheckpoint of(Path dir, LlrConfig config, FitOptions options, float[] data) {
        if (dir == null) {
            return null;
        }
        long h = 1125899906842597L;
        for (float v : data) {
            h = 31 * h + Float.floatToIntBits(v);
        }
        String key = config.toMap() + " " + options + " n=" + data.length + " hash=" + Long.toHexString(h);
        return new LlrCheckpoint(dir, key);
    }

    /** The saved state, or null when there is none; fails when it belongs to another fit. */
    State find() {
        Path last = dir.resolve("last");
        Path props = last.resolve("progress.properties");
        if (!Files.isRegularFile(props)) {
            LOG.info("llr: no checkpoint in {}; starting from the first epoch", dir);
            return null;
        }
        ModelProperties p = ModelProperties.read(props, "the llr checkpoint", FORMAT_VERSION);
        if (!key.equals(p.value("key"))) {
            throw new ConfigException(props + ": the checkpoint belongs to another fit (configuration, fit options "
                    + "or data differ): expected key " + key + ", found " + p.value("key")
                    + "; delete " + dir + " to start afresh");
        }
        TrainingLoop.Resume r = new TrainingLoop.Resume(p.intValue("epochs"), doubles(p.value("losses")),
                doubles(p.value("validationLosses")), p.intValue("bestEpoch"), p.intValue("sinceBest"),
                p.longValue("adamSteps"), p.longValue("trainNanos"));
        LOG.info("llr: continuing from the checkpoint of epoch {} in {}", r.epochs(), dir);
        return new State(r, last.resolve("variables"));
    }

    /** Checkpoints {@code t} after the epoch of {@code state}. */
    void save(LlrGraphs.Training t, TrainingLoop.Resume state) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempDirectory(dir, ".tmp-");
            t.training().session().save(tmp.resolve("variables").toString());
            Map<String, String> v = new LinkedHashMap<>();
            v.put("key", key);
            v.put("epochs", String.valueOf(state.epochs()));
            v.put("losses", join(state.losses()));
            v.put("validationLosses", join(state.validationLosses()));
            v.put("bestEpoch", String.valueOf(state.bestEpoch()));
            v.put("sinceBest", String.valueOf(state.sinceBest()));
            v.put("adamSteps", String.valueOf(state.adamSteps()));
            v.put("trainNanos", String.valueOf(state.trainNanos()));
            ModelProperties.write(tmp.resolve("progress.properties"), FORMAT_VERSION, v,
                    "Oddball llr fit checkpoint; continue with: oddball fit ... --resume");
            Path last = dir.resolve("last");
            Path old = dir.resolve(".old-last");
            FileTrees.delete(old);
            if (Files.exists(last)) {
                Files.move(last, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, last, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.delete(old);
        } catch (IOException e) {
            throw new OddballException("llr: cannot write the checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes the checkpoint folder (after a completed fit). */
    void delete() {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.warn("llr: cannot delete the checkpoint folder {}: {}", dir, e.getMessage());
        }
    }

    private static String join(List<Double> values) {
        StringBuilder b = new StringBuilder();
        for (Double d : values) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(d);
        }
        return b.toString();
    }

    private static List<Double> doubles(String s) {
        List<Double> out = new ArrayList<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        for (String part : s.split(",")) {
            out.add(Double.parseDouble(part));
        }
        return out;
    }
}
