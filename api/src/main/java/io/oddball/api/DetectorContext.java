package io.oddball.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the host gives a detector: progress display, a cooperative interrupt flag (Ctrl-C), the device to prefer and
 * the settings of numeric code ({@link #settings()}). Numeric code takes what it needs from here and has no other
 * global state.
 */
public interface DetectorContext {
    /**
     * Setting: the inference precision of neural detectors, {@code float32} (default) or {@code bfloat16}. Set from
     * the environment variable {@code ODDBALL_INFERENCE_PRECISION} and the CLI's {@code --precision}. Since API 1.3.
     */
    String PRECISION = "tf.precision";
    /**
     * Setting: whether neural detectors build their graphs with Oddball's op library, {@code auto} (default: where
     * it is on the class path and was measured faster on this CPU class), {@code on} (wherever it loads) or
     * {@code off} (TensorFlow's stock ops). Set from the environment variable {@code ODDBALL_OPS}. Since API 1.3.
     */
    String OP_LIBRARY = "tf.opLibrary";
    /** Starts showing progress of a task of {@code total} units ({@code -1} when unknown). */
    Progress progress(String task, long total, String unit);

    /**
     * True once the user asked to stop (Ctrl-C) or the thread was interrupted. Long loops check it between steps and
     * stop cleanly, keeping what they have.
     */
    boolean stopRequested();

    /** Preferred device: {@code cpu} or {@code gpu}; models are built with soft placement, so gpu falls back to cpu. */
    String device();

    /**
     * Where a long fit keeps its checkpoints (one folder per fit, created by the detector), or null for none. Since
     * API 1.2.
     */
    default java.nio.file.Path checkpointDir() {
        return null;
    }

    /**
     * Whether a fit continues from the checkpoint in {@link #checkpointDir()} (a fresh start when there is none).
     * Since API 1.2.
     */
    default boolean resume() {
        return false;
    }

    /**
     * Settings for the detector's numeric code, by key: how to build and run its graphs, never what it computes.
     * Keys are namespaced ({@code tf.} for Oddball's TensorFlow code: {@link #PRECISION}, {@link #OP_LIBRARY});
     * code reads the keys of its own namespace, fails naming a key of that namespace it does not know, and ignores
     * other namespaces. The host fills them from its configuration (the runtime: the environment,
     * {@link #environmentSettings}, and command-line flags). Default: none. Since API 1.3.
     */
    default Map<String, String> settings() {
        return Map.of();
    }

    /**
     * The settings the environment variables ask for: {@code ODDBALL_INFERENCE_PRECISION} as {@link #PRECISION},
     * {@code ODDBALL_OPS} as {@link #OP_LIBRARY}; unset or blank variables give no setting. The values are not
     * checked here (the code that reads a setting does). Since API 1.3.
     *
     * @param environment the environment, e.g. {@code System.getenv()}
     */
    static Map<String, String> environmentSettings(Map<String, String> environment) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : Map.of("ODDBALL_INFERENCE_PRECISION", PRECISION, "ODDBALL_OPS",
                OP_LIBRARY).entrySet()) {
            String v = environment.get(e.getKey());
            if (v != null && !v.isBlank()) {
                settings.put(e.getValue(), v.trim());
            }
        }
        return Map.copyOf(settings);
    }

    /**
     * A context with no progress display, no stop request except thread interruption, CPU device, and the settings of
     * the environment ({@link #environmentSettings}).
     */
    static DetectorContext simple() {
        return simple(environmentSettings(System.getenv()));
    }

    /** As {@link #simple()} with {@code settings} instead of the environment's. Since API 1.3. */
    static DetectorContext simple(Map<String, String> settings) {
        Map<String, String> copy = Map.copyOf(settings);
        return new DetectorContext() {
            @Override
            public Map<String, String> settings() {
                return copy;
            }

            @Override
            public Progress progress(String task, long total, String unit) {
                return Progress.NONE;
            }

            @Override
            public boolean stopRequested() {
                return Thread.currentThread().isInterrupted();
            }

            @Override
            public String device() {
                return "cpu";
            }
        };
    }
}
