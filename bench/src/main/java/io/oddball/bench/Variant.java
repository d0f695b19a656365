package io.oddball.bench;

import static java.util.Objects.requireNonNull;

import io.oddball.api.DetectorContext;
import io.oddball.tf.TfOptions;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A benchmark variant as its command line names it: {@code key=value,key2=value2}, or {@code -} for none. Keys of
 * TensorFlow's settings ({@code tf.opLibrary=off}, {@code tf.conv=direct}, ...: {@link TfOptions}) are laid over the
 * environment's settings ({@code ODDBALL_OPS}, {@code ODDBALL_INFERENCE_PRECISION}) into the options the variant's
 * graph is built with, as a detector's context hands them on; other keys name flags of the benchmark itself
 * ({@code branchParallel}: a key alone is a flag).
 *
 * @param name as written
 * @param options the options its graphs are built with
 * @param flags the benchmark's own flags it sets
 */
record Variant(String name, TfOptions options, Set<String> flags) {
    Variant {
        requireNonNull(name, "name is null");
        requireNonNull(options, "options is null");
        flags = Set.copyOf(flags);
    }

    /**
     * The variant {@code name}; a flag must be one of {@code knownFlags}.
     *
     * @throws IllegalArgumentException for an unknown flag
     * @throws io.oddball.api.error.ConfigException for an unknown {@code tf.} key or a bad value
     */
    static Variant parse(String name, Set<String> knownFlags) {
        Map<String, String> settings = new LinkedHashMap<>(DetectorContext.environmentSettings(System.getenv()));
        Set<String> flags = new LinkedHashSet<>();
        if (!name.equals("-")) {
            for (String kv : name.split(",")) {
                String[] p = kv.split("=", 2);
                if (p[0].startsWith("tf.") && p.length == 2) {
                    settings.put(p[0], p[1]);
                } else if (knownFlags.contains(p[0]) && p.length == 1) {
                    flags.add(p[0]);
                } else {
                    throw new IllegalArgumentException("variant " + name + ": expected tf.<setting>=<value> (one of "
                            + TfOptions.keys() + ") or a flag of " + knownFlags + ", found '" + kv + "'");
                }
            }
        }
        return new Variant(name, TfOptions.from(settings), flags);
    }

    /** Whether flag {@code flag} is set. */
    boolean has(String flag) {
        return flags.contains(flag);
    }
}
