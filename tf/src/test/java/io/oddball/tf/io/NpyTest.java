package io.oddball.tf.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.error.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void floatsRoundTrip() {
        float[] data = new float[3 * 70_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) Math.sin(i) * i;
        }
        Path f = dir.resolve("a.npy");
        Npy.write(f, new int[] {3, 70_000}, data);
        Npy.FloatArray back = Npy.readFloats(f);
        assertThat(back.shape()).containsExactly(3, 70_000);
        assertThat(back.data()).isEqualTo(data);
        assertThat(Npy.header(f).descr()).isEqualTo("<f4");
    }

    @Test
    void doublesAndLongsRoundTrip() {
        double[] d = {1.5, -2.25, Math.PI, Double.MIN_VALUE};
        long[] l = {1, -2, Long.MAX_VALUE};
        Npy.write(dir.resolve("d.npy"), new int[] {2, 2}, d);
        Npy.write(dir.resolve("l.npy"), new int[] {3}, l);
        assertThat(Npy.readDoubles(dir.resolve("d.npy")).data()).isEqualTo(d);
        assertThat(Npy.readLongs(dir.resolve("l.npy")).data()).isEqualTo(l);
        assertThat(Npy.readLongs(dir.resolve("l.npy")).shape()).containsExactly(3);
        assertThat(Npy.readFloats(dir.resolve("d.npy")).data()).containsExactly(1.5f, -2.25f, (float) Math.PI, 0f);
    }

    @Test
    void scalarShape() {
        Npy.write(dir.resolve("s.npy"), new int[0], new double[] {0.25});
        Npy.DoubleArray s = Npy.readDoubles(dir.resolve("s.npy"));
        assertThat(s.shape()).isEmpty();
        assertThat(s.data()).containsExactly(0.25);
    }

    @Test
    void truncatedFileNamesFileAndSizes() throws IOException {
        Path f = dir.resolve("t.npy");
        Npy.write(f, new int[] {10}, new float[10]);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 3));
        assertThatThrownBy(() -> Npy.readFloats(f)).isInstanceOf(DataException.class)
                .hasMessageContaining("t.npy").hasMessageContaining("truncated");
    }

    @Test
    void wrongTypeAndMissingFileAndGarbage() throws IOException {
        Path f = dir.resolve("l.npy");
        Npy.write(f, new int[] {2}, new long[] {1, 2});
        assertThatThrownBy(() -> Npy.readFloats(f)).isInstanceOf(DataException.class)
                .hasMessageContaining("l.npy: expected a float32 or float64 array, found dtype <i8");
        assertThatThrownBy(() -> Npy.readFloats(dir.resolve("none.npy"))).isInstanceOf(DataException.class)
                .hasMessageContaining("none.npy: no such file");
        Path g = dir.resolve("g.npy");
        Files.writeString(g, "hello world, not numpy");
        assertThatThrownBy(() -> Npy.readDoubles(g)).isInstanceOf(DataException.class)
                .hasMessageContaining("g.npy: expected a NumPy .npy file");
    }
}
