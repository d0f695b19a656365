package io.oddball.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.DetectorContext;
import io.oddball.api.error.ConfigException;
import org.junit.jupiter.api.Test;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class TensorsTest {
    @Test
    void floatsRoundTripThroughASessionPlacedOnGpuWithSoftPlacement() {
        try (Graph g = new Graph()) {
            Ops tf = Devices.place(Ops.create(g), new DetectorContext() {
                @Override
                public io.oddball.api.Progress progress(String task, long total, String unit) {
                    return io.oddball.api.Progress.NONE;
                }

                @Override
                public boolean stopRequested() {
                    return false;
                }

                @Override
                public String device() {
                    return "gpu";
                }
            });
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
            var y = tf.math.mul(x, tf.constant(2f));
            try (Session s = Sessions.open(g);
                    TFloat32 in = Tensors.floatsAt(new float[] {9, 1, 2, 3, 4, 5, 6}, 1, 2, 3);
                    Result r = s.runner().feed(x, in).fetch(y).run()) {
                TFloat32 out = Tensors.get(r, 0, TFloat32.class);
                assertThat(out.shape().asArray()).containsExactly(2, 3);
                assertThat(Tensors.toFloats(out)).containsExactly(2, 4, 6, 8, 10, 12);
            }
        }
    }

    @Test
    void shapeMismatchIsRejected() {
        assertThatThrownBy(() -> Tensors.floats(new float[5], 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 6 values, found 5");
    }

    @Test
    void deviceNames() {
        assertThat(Devices.spec("GPU:1").deviceType()).isEqualTo(DeviceSpec.DeviceType.GPU);
        assertThat(Devices.spec("cpu").deviceType()).isEqualTo(DeviceSpec.DeviceType.CPU);
        assertThatThrownBy(() -> Devices.spec("tpu")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("found 'tpu'");
    }
}
