package io.oddball.tf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPU as /proc/cpuinfo describes it, capped as oneDNN's ONEDNN_MAX_CPU_ISA caps it. */
class CpuTest {
    private static final String ZEN3 = "fpu sse sse2 ssse3 sse4_1 sse4_2 avx f16c fma bmi1 avx2 bmi2";
    private static final String SAPPHIRE_RAPIDS = ZEN3 + " avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16"
            + " amx_bf16 amx_tile";

    private static Cpu cpu(Path dir, String flags, String cap) throws Exception {
        Path info = dir.resolve("cpuinfo");
        Files.writeString(info, "processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: " + flags + "\n\nprocessor\t: 1\n"
                + "model name\t: Other\nflags\t\t: " + flags + " avx512f\n");
        return Cpu.read(info, cap);
    }

    @Test
    void readsTheFirstProcessorsModelAndFlags(@TempDir Path dir) throws Exception {
        Cpu zen3 = cpu(dir, ZEN3, null);
        assertThat(zen3.model()).isEqualTo("Test CPU");
        assertThat(zen3.isaClass()).isEqualTo("avx2");
        assertThat(zen3.avx512()).isFalse();
        assertThat(zen3.bfloat16()).isFalse();
        assertThat(zen3).hasToString("Test CPU (avx2)");
        Cpu spr = cpu(dir, SAPPHIRE_RAPIDS, null);
        assertThat(spr.isaClass()).isEqualTo("avx512");
        assertThat(spr.bfloat16()).isTrue();
        assertThat(cpu(dir, "sse sse2", null).isaClass()).isEqualTo("baseline");
    }

    @Test
    void oneDnnsCapTurnsAnAvx512CpuIntoAnOlderOne(@TempDir Path dir) throws Exception {
        Cpu capped = cpu(dir, SAPPHIRE_RAPIDS, "avx2");
        assertThat(capped.isaClass()).isEqualTo("avx2");
        assertThat(capped.bfloat16()).isFalse();
        assertThat(capped).hasToString("Test CPU (avx2, ONEDNN_MAX_CPU_ISA=AVX2)");
        Cpu core = cpu(dir, SAPPHIRE_RAPIDS, "AVX512_CORE");
        assertThat(core.isaClass()).isEqualTo("avx512");
        assertThat(core.bfloat16()).isFalse();
        assertThat(cpu(dir, SAPPHIRE_RAPIDS, "AVX512_CORE_AMX").bfloat16()).isTrue();
        assertThat(cpu(dir, SAPPHIRE_RAPIDS, "ALL").bfloat16()).isTrue();
        assertThat(cpu(dir, ZEN3, "SSE41").isaClass()).isEqualTo("baseline");
    }

    @Test
    void bfloat16InferenceFallsBackToFloat32WhereOneDnnCannotRunIt(@TempDir Path dir) throws Exception {
        TfOptions.Precision bf16 = TfOptions.Precision.BFLOAT16;
        TfOptions.Precision f32 = TfOptions.Precision.FLOAT32;
        assertThat(Sessions.inferencePrecision(bf16, cpu(dir, ZEN3, null))).isEqualTo(f32);
        assertThat(Sessions.inferencePrecision(bf16, cpu(dir, SAPPHIRE_RAPIDS, "AVX2"))).isEqualTo(f32);
        assertThat(Sessions.inferencePrecision(bf16, cpu(dir, SAPPHIRE_RAPIDS, null))).isEqualTo(bf16);
        assertThat(Sessions.inferencePrecision(f32, cpu(dir, SAPPHIRE_RAPIDS, null))).isEqualTo(f32);
    }

    @Test
    void aMachineWithoutCpuinfoIsAssumedToHaveNothing(@TempDir Path dir) {
        Cpu none = Cpu.read(dir.resolve("missing"), null);
        assertThat(none.model()).isEqualTo("unknown CPU");
        assertThat(none.isaClass()).isEqualTo("baseline");
        assertThat(none.bfloat16()).isFalse();
    }
}
