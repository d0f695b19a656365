package io.oddball.bench;

import io.oddball.tf.Cpu;
import io.oddball.tf.kernels.Kernels;
import io.oddball.tf.kernels.OpLibrary;

/**
 * Prints one line naming the CPU a benchmark ran on, as Oddball sees it (model, vector class, bfloat16, the
 * {@code ONEDNN_MAX_CPU_ISA} cap) and the build of the op library's loops in use, for bench/RESULTS.md.
 */
public final class CpuLine {
    private CpuLine() {
    }

    /** Entry point: no arguments. */
    public static void main(String[] args) {
        OpLibrary library = Kernels.loaded();
        System.out.println(Cpu.current() + "; op library loops: " + (library == null ? Kernels.unavailableReason()
                : library.isa()));
    }
}
