package io.oddball.tf;

import static java.util.Objects.requireNonNull;

import io.oddball.api.DetectorContext;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DidYouMean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How Oddball's TensorFlow graphs are built and run: the inference precision, the use of Oddball's op library and
 * the implementation variants that benchmarks compare. The same values either way, up to float rounding (bfloat16:
 * approximately); only the speed differs. Immutable. A detector reads its options from its context once
 * ({@link #of(DetectorContext)}) and hands them to every layer, network, session and inference model it builds:
 * numeric code looks nothing up globally.
 *
 * <p>As settings ({@link DetectorContext#settings()}):
 * <table>
 *   <caption>TensorFlow settings</caption>
 *   <tr><th>key</th><th>values (default first)</th><th>what</th></tr>
 *   <tr><td>{@code tf.precision}</td><td>{@code float32}, {@code bfloat16}</td><td>inference precision of the
 *       neural detectors' saved models ({@link Sessions#inferenceConfig}); bfloat16 falls back to float32 on CPUs
 *       without it. Users: {@code --precision}, {@code ODDBALL_INFERENCE_PRECISION}.</td></tr>
 *   <tr><td>{@code tf.opLibrary}</td><td>{@code auto}, {@code on}, {@code off}</td><td>Oddball's op library
 *       ({@link io.oddball.tf.kernels.Kernels}): where it is on the class path and measured faster on this CPU
 *       class, wherever it loads, or never. Users: {@code ODDBALL_OPS}.</td></tr>
 *   <tr><td>{@code tf.conv}</td><td>{@code auto}, {@code direct}, {@code patches}</td><td>{@code direct}: every
 *       {@link io.oddball.tf.layers.Conv2D} as TensorFlow's {@code Conv2D} (no matrix-product form);
 *       {@code patches}: no Winograd form in inference graphs, the patches' matrix product instead.</td></tr>
 *   <tr><td>{@code tf.transposedConv}</td><td>{@code auto}, {@code backprop}</td><td>{@code backprop}: every
 *       {@link io.oddball.tf.layers.Conv2DTranspose} as TensorFlow's {@code Conv2DBackpropInput}.</td></tr>
 *   <tr><td>{@code tf.dense}</td><td>{@code auto}, {@code plain}, {@code batched}</td><td>{@code plain}: every
 *       {@link io.oddball.tf.layers.Dense} as {@code x · kernel} ({@code MatMul}) at any width, in training and
 *       inference; {@code batched}: an inference {@code Dense} as {@code BatchMatMulV2} on any CPU ({@code auto}:
 *       on AVX2-class CPUs only, {@link #batchedDense()}).</td></tr>
 *   <tr><td>{@code tf.spatialConv}</td><td>{@code auto}, {@code conv2d}</td><td>{@code conv2d}: the small
 *       convolutions of {@link io.oddball.tf.layers.SpatialConv} as {@code Pad} and {@code Conv2D}.</td></tr>
 * </table>
 * The last four exist for benchmarks, which compare the forms in one JVM.
 *
 * @param precision the inference precision asked for
 * @param opLibrary when to use Oddball's op library
 * @param variants the implementation variants chosen instead of the measured-faster forms
 */
public record TfOptions(Precision precision, OpLibraryUse opLibrary, Set<Variant> variants) {
    /** Inference precision. */
    public enum Precision {
        FLOAT32, BFLOAT16;

        /** The setting's value: {@code float32} or {@code bfloat16}. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** When a graph uses Oddball's op library. */
    public enum OpLibraryUse {
        /** Where it is on the class path, loads and was measured faster than the stock ops on this CPU class. */
        AUTO,
        /** Wherever it loads (TensorFlow's stock ops otherwise). */
        ON,
        /** Never: TensorFlow's stock ops only, as a graph meant for other TensorFlow runtimes (a SavedModel). */
        OFF;

        /** The setting's value: {@code auto}, {@code on} or {@code off}. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** An implementation variant: TensorFlow's own form of a layer instead of the form measured faster. */
    public enum Variant {
        /** {@code tf.conv=direct}. */
        DIRECT_CONV("tf.conv", "direct"),
        /** {@code tf.conv=patches}. */
        PATCHES_CONV("tf.conv", "patches"),
        /** {@code tf.transposedConv=backprop}. */
        BACKPROP_TRANSPOSED_CONV("tf.transposedConv", "backprop"),
        /** {@code tf.dense=plain}. */
        PLAIN_DENSE("tf.dense", "plain"),
        /** {@code tf.dense=batched}. */
        BATCHED_DENSE("tf.dense", "batched"),
        /** {@code tf.spatialConv=conv2d}. */
        CONV2D_SPATIAL_CONV("tf.spatialConv", "conv2d");

        private final String key;
        private final String value;

        Variant(String key, String value) {
            this.key = key;
            this.value = value;
        }

        /** The setting's key. */
        public String key() {
            return key;
        }

        /** The setting's value that picks this variant ({@code auto}, the default, picks none of the key's). */
        public String value() {
            return value;
        }
    }

    private static final TfOptions DEFAULTS = new TfOptions(Precision.FLOAT32, OpLibraryUse.AUTO, Set.of());
    /** Where users set the two user-facing settings, for messages. */
    private static final Map<String, String> SOURCES = Map.of(DetectorContext.PRECISION,
            "--precision or ODDBALL_INFERENCE_PRECISION", DetectorContext.OP_LIBRARY, "ODDBALL_OPS");

    public TfOptions {
        requireNonNull(precision, "precision is null");
        requireNonNull(opLibrary, "opLibrary is null");
        variants = variants.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(variants));
        Set<String> keys = new java.util.HashSet<>();
        for (Variant v : variants) {
            if (!keys.add(v.key())) {
                throw new IllegalArgumentException("TfOptions: expected one value per setting, found " + variants);
            }
        }
    }

    /** float32, the op library where it is faster, the measured-faster form of every layer. */
    public static TfOptions defaults() {
        return DEFAULTS;
    }

    /** The options of {@code context}'s settings ({@link #from}). */
    public static TfOptions of(DetectorContext context) {
        return from(requireNonNull(context, "context is null").settings());
    }

    /**
     * The options that the {@code tf.} keys of {@code settings} ask for (see the class comment); other keys are
     * ignored, a missing or blank value keeps the default.
     *
     * @throws ConfigException naming every unknown {@code tf.} key and every value out of range, all together
     */
    public static TfOptions from(Map<String, String> settings) {
        requireNonNull(settings, "settings is null");
        Precision precision = Precision.FLOAT32;
        OpLibraryUse opLibrary = OpLibraryUse.AUTO;
        EnumSet<Variant> variants = EnumSet.noneOf(Variant.class);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            if (!key.startsWith("tf.") || value.isEmpty()) {
                continue;
            }
            if (key.equals(DetectorContext.PRECISION)) {
                precision = choice(key, value, Precision.values(), Precision::value, precision, problems);
            } else if (key.equals(DetectorContext.OP_LIBRARY)) {
                opLibrary = choice(key, value, OpLibraryUse.values(), OpLibraryUse::value, opLibrary, problems);
            } else {
                List<String> values = variantValues(key);
                if (values.isEmpty()) {
                    List<String> known = keys();
                    problems.add(key + ": expected a TensorFlow setting, one of " + known
                            + DidYouMean.hint(key, known));
                } else if (!value.equals("auto")) {
                    Variant v = variant(key, value);
                    if (v != null) {
                        variants.add(v);
                    } else {
                        List<String> all = new ArrayList<>(List.of("auto"));
                        all.addAll(values);
                        problems.add(key + ": expected " + alternatives(all) + ", found '" + value + "'");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new TfOptions(precision, opLibrary, variants);
    }

    private static <T> T choice(String key, String value, T[] values, java.util.function.Function<T, String> name,
            T fallback, List<String> problems) {
        List<String> names = new ArrayList<>();
        for (T t : values) {
            if (name.apply(t).equals(value)) {
                return t;
            }
            names.add(name.apply(t));
        }
        problems.add(key + " (" + SOURCES.get(key) + "): expected " + alternatives(names) + ", found '" + value
                + "'");
        return fallback;
    }

    /** {@code a, b or c}. */
    private static String alternatives(List<String> names) {
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static Variant variant(String key, String value) {
        for (Variant v : Variant.values()) {
            if (v.key().equals(key) && v.value().equals(value)) {
                return v;
            }
        }
        return null;
    }

    /** The values other than {@code auto} that variant key {@code key} takes (none: not a variant key). */
    private static List<String> variantValues(String key) {
        List<String> values = new ArrayList<>();
        for (Variant v : Variant.values()) {
            if (v.key().equals(key)) {
                values.add(v.value());
            }
        }
        return values;
    }

    /** Every key these options read. */
    public static List<String> keys() {
        List<String> keys = new ArrayList<>(List.of(DetectorContext.PRECISION, DetectorContext.OP_LIBRARY));
        for (Variant v : Variant.values()) {
            if (!keys.contains(v.key())) {
                keys.add(v.key());
            }
        }
        return keys;
    }

    /** The settings that give these options back through {@link #from}: the keys whose value is not the default. */
    public Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        if (precision != Precision.FLOAT32) {
            m.put(DetectorContext.PRECISION, precision.value());
        }
        if (opLibrary != OpLibraryUse.AUTO) {
            m.put(DetectorContext.OP_LIBRARY, opLibrary.value());
        }
        for (Variant v : variants) {
            m.put(v.key(), v.value());
        }
        return m;
    }

    /** Whether {@code variant} is chosen. */
    public boolean has(Variant variant) {
        return variants.contains(variant);
    }

    /**
     * Whether an inference {@link io.oddball.tf.layers.Dense} runs as {@code BatchMatMulV2} rather than
     * {@code MatMul}: with {@code tf.dense=batched}; by default ({@code auto}) where TensorFlow's kernels run at
     * the AVX2 class ({@link Cpu#isaClass()}, which follows {@code ONEDNN_MAX_CPU_ISA}). There TensorFlow 2.18's
     * oneDNN runs a fully connected layer's {@code MatMul} (its {@code inner_product}) at about 60 % of the speed of
     * the same product as {@code BatchMatMulV2} (its {@code matmul}): the {@code alibi-cifar10} autoencoder's
     * 8 192 → 1 024 layer at batch 256 takes 44 ms against 27 ms; on AVX-512 the two are even or {@code MatMul} is
     * faster (bench/RESULTS.md). The same values up to float rounding. {@code tf.dense=plain} keeps {@code MatMul}.
     */
    public boolean batchedDense() {
        return batchedDense(Cpu.current());
    }

    /** {@link #batchedDense()} on {@code cpu}. */
    boolean batchedDense(Cpu cpu) {
        if (has(Variant.BATCHED_DENSE)) {
            return true;
        }
        return !has(Variant.PLAIN_DENSE) && cpu.isaClass().equals("avx2");
    }

    /** These options with inference precision {@code p}. */
    public TfOptions withPrecision(Precision p) {
        return new TfOptions(p, opLibrary, variants);
    }

    /** These options with the op library used as {@code use} says. */
    public TfOptions withOpLibrary(OpLibraryUse use) {
        return new TfOptions(precision, use, variants);
    }

    /** These options with {@code variant} chosen too, in place of another value of its setting. */
    public TfOptions with(Variant variant) {
        requireNonNull(variant, "variant is null");
        EnumSet<Variant> v = variants.isEmpty() ? EnumSet.noneOf(Variant.class) : EnumSet.copyOf(variants);
        v.removeIf(other -> other.key().equals(variant.key()));
        v.add(variant);
        return new TfOptions(precision, opLibrary, v);
    }

    /** The settings, {@code key=value} joined by commas ({@code defaults} when there are none). */
    @Override
    public String toString() {
        Map<String, String> s = settings();
        if (s.isEmpty()) {
            return "defaults";
        }
        List<String> parts = new ArrayList<>();
        s.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }
}
