package io.oddball.tf.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import io.oddball.tf.TfOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The tf module without the op library on its class path (the tf-ops module tests it with): whatever the options,
 * graphs get TensorFlow's stock ops, and the reason names the missing module.
 */
class KernelsTest {
    @Test
    void withoutTheOpLibraryEveryOptionBuildsTheStockOps() {
        assertThat(Kernels.loaded()).isNull();
        assertThat(Kernels.unavailableReason()).contains("oddball-tf-ops");
        for (TfOptions.OpLibraryUse use : TfOptions.OpLibraryUse.values()) {
            Kernels k = Kernels.of(TfOptions.defaults().withOpLibrary(use));
            assertThat(k.fused()).as("%s", use).isFalse();
            try (Graph g = new Graph()) {
                Ops tf = Ops.create(g);
                Operand<TFloat32> x = tf.constant(new float[][] {{1, -2}});
                assertThat(k.patches(tf, x, 2, 2, 0, 0, 1, 1, 1, 2)).isNull();
                Operand<TFloat32> y = k.concatElu(tf, List.of(x));
                assertThat(y.op().type()).isEqualTo("Elu");
                try (Session s = new Session(g, Sessions.config()); Result r = s.runner().fetch(y).run()) {
                    assertThat(Tensors.toFloats(Tensors.get(r, 0, TFloat32.class))).containsExactly(
                            new float[] {1f, (float) Math.expm1(-2), (float) Math.expm1(-1), 2f}, within(1e-6f));
                }
            }
        }
    }
}
