package io.oddball.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What this CPU can do, as far as TensorFlow's oneDNN kernels will use it: the flags of {@code /proc/cpuinfo} (none
 * elsewhere), capped by {@code ONEDNN_MAX_CPU_ISA} when it is set — oneDNN then runs as on an older CPU, and so
 * must everything that decides by the CPU (bfloat16 inference, which oneDNN refuses below AVX-512).
 */
public final class Cpu {
    /** oneDNN's {@code ONEDNN_MAX_CPU_ISA} values that keep bfloat16 (AVX512_CORE_BF16 and newer; unset or ALL). */
    private static final Set<String> BF16_CAPS = Set.of("ALL", "DEFAULT", "AVX512_CORE_BF16", "AVX512_CORE_FP16",
            "AVX512_CORE_AMX", "AVX512_CORE_AMX_FP16", "AVX10_1_512", "AVX10_1_512_AMX", "AVX10_1_512_AMX_FP16");
    /** oneDNN's values that keep AVX-512. */
    private static final Set<String> AVX512_CAPS = Stream.concat(BF16_CAPS.stream(),
            Stream.of("AVX512_CORE", "AVX512_CORE_VNNI")).collect(Collectors.toUnmodifiableSet());

    private static volatile Cpu current;

    private final String model;
    private final Set<String> flags;
    private final String cap;

    Cpu(String model, Set<String> flags, String cap) {
        this.model = model;
        this.flags = Set.copyOf(flags);
        this.cap = cap == null || cap.isBlank() ? null : cap.trim().toUpperCase(Locale.ROOT);
    }

    /** This machine's CPU (read once). */
    public static Cpu current() {
        Cpu c = current;
        if (c == null) {
            c = read(Path.of("/proc/cpuinfo"), System.getenv("ONEDNN_MAX_CPU_ISA"));
            current = c;
        }
        return c;
    }

    /** The CPU that {@code cpuinfo} describes (the first processor), capped by {@code onednnCap} (null: none). */
    public static Cpu read(Path cpuinfo, String onednnCap) {
        String model = "unknown CPU";
        Set<String> flags = Set.of();
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            for (String line : (Iterable<String>) lines::iterator) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (key.equals("model name") && model.equals("unknown CPU")) {
                    model = value;
                } else if (key.equals("flags")) {
                    flags = Set.of(value.split("\\s+"));
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: nothing known, nothing assumed
        }
        return new Cpu(model, flags, onednnCap);
    }

    /** The model name ({@code unknown CPU} where it cannot be read). */
    public String model() {
        return model;
    }

    /** Whether the CPU has {@code flag} ({@code /proc/cpuinfo} spelling, e.g. {@code avx512_bf16}). */
    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /** AVX-512 (foundation, VL, BW, DQ), not capped below it by {@code ONEDNN_MAX_CPU_ISA}. */
    public boolean avx512() {
        return has("avx512f") && has("avx512vl") && has("avx512bw") && has("avx512dq")
                && (cap == null || AVX512_CAPS.contains(cap));
    }

    /** Whether oneDNN runs bfloat16 matrix products natively: AVX512_BF16 or AMX-BF16, not capped below them. */
    public boolean bfloat16() {
        return (has("avx512_bf16") || has("amx_bf16")) && (cap == null || BF16_CAPS.contains(cap));
    }

    /** The vector class TensorFlow's kernels run at: {@code avx512}, {@code avx2} or {@code baseline}. */
    public String isaClass() {
        if (avx512()) {
            return "avx512";
        }
        boolean avx2 = has("avx2") && has("fma") && (cap == null || !Set.of("SSE41", "AVX").contains(cap));
        return avx2 ? "avx2" : "baseline";
    }

    /** One line for logs and benchmark records: the model, its vector class, bfloat16, and the cap if any. */
    @Override
    public String toString() {
        return model + " (" + isaClass() + (bfloat16() ? ", bfloat16" : "")
                + (cap == null ? "" : ", ONEDNN_MAX_CPU_ISA=" + cap) + ")";
    }
}
