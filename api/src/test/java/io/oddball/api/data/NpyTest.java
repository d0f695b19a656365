package io.oddball.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.error.DataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    void writtenHeadersAreWhatNumpyWrites() throws IOException {
        Path f = dir.resolve("h.npy");
        Npy.write(f, new int[] {2, 3}, new float[6]);
        byte[] bytes = Files.readAllBytes(f);
        int textLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        assertThat(10 + textLength).isEqualTo(128).isEqualTo(bytes.length - 6 * 4);
        assertThat(new String(bytes, 10, textLength, StandardCharsets.ISO_8859_1))
                .startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }  ").endsWith(" \n");
        Npy.Header h = Npy.header(f);
        assertThat(h.version()).isEqualTo(1);
        assertThat(h.textOffset()).isEqualTo(10);
        assertThat(h.dataOffset()).isEqualTo(128);
        assertThat(h.kind()).isEqualTo('f');
        assertThat(h.itemSize()).isEqualTo(4);
        assertThat(h.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(h.size()).isEqualTo(6);
        assertThat(h.describe()).isEqualTo("'<f4' (2, 3)");

        byte[] fixed = Npy.headerBytes("[('a', '<f4'), ('b', '|b1')]", new long[] {7}, 192);
        assertThat(fixed).hasSize(192);
        assertThat(new String(fixed, 10, 182, StandardCharsets.ISO_8859_1))
                .startsWith("{'descr': [('a', '<f4'), ('b', '|b1')], 'fortran_order': False, 'shape': (7,), }");
    }

    @Test
    void truncatedFileNamesFileAndSizes() throws IOException {
        Path f = dir.resolve("t.npy");
        Npy.write(f, new int[] {10}, new float[10]);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 3));
        assertThatThrownBy(() -> Npy.readFloats(f)).isInstanceOf(DataException.class)
                .hasMessageContaining("t.npy").hasMessageContaining("truncated");
        assertThatThrownBy(() -> Npy.readFloats(f)).hasMessage(f + ": expected 168 bytes for a <f4 array of shape "
                + "[10], found 165 (truncated)");
        Files.write(f, java.util.Arrays.copyOf(all, 40));
        assertThatThrownBy(() -> Npy.header(f)).hasMessage(f + ": the .npy header at byte offset 10: expected 118 "
                + "bytes, found 30 (the data ends there)");
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
                .hasMessage(g + ": the .npy magic at byte offset 0: expected \\x93NUMPY, found 'hello '");
    }

    /** The parser over bytes in memory, recording what it is asked to bound. */
    private static final class BytesInput implements Npy.Input {
        final byte[] bytes;
        final List<String> bounds = new ArrayList<>();
        int offset;

        BytesInput(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void readFully(byte[] buf, int len, String what) {
            if (offset + len > bytes.length) {
                throw new IllegalStateException(what + ": ends at " + bytes.length);
            }
            System.arraycopy(bytes, offset, buf, 0, len);
            offset += len;
        }

        @Override
        public RuntimeException error(String what, long at, String expected, String found) {
            return new IllegalArgumentException(what + " @" + at + ": expected " + expected + ", found " + found);
        }

        @Override
        public void expectWithinBound(long n, String what, long at, String found) {
            bounds.add(n + " " + what + " @" + at + " " + found);
        }
    }

    private static byte[] npy(int version, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        int lengthBytes = version == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + t.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            b.putShort((short) t.length);
        } else {
            b.putInt(t.length);
        }
        return b.put(t).array();
    }

    private static Npy.Header parse(byte[] bytes) {
        return Npy.readHeader(new BytesInput(bytes));
    }

    @Test
    void theParserReadsEveryVersionAndStopsAtTheFirstValue() {
        String text = "{'descr': '>u2', 'fortran_order': False, 'shape': (5L, 3), }\n";
        BytesInput v3 = new BytesInput(npy(3, text));
        Npy.Header h = Npy.readHeader(v3);
        assertThat(v3.offset).isEqualTo(12 + text.length());
        assertThat(v3.bounds).containsExactly((12 + text.length()) + " the .npy header length @8 " + text.length()
                + " bytes");
        assertThat(h.version()).isEqualTo(3);
        assertThat(h.textOffset()).isEqualTo(12);
        assertThat(h.dataOffset()).isEqualTo(12 + text.length());
        assertThat(h.shape()).containsExactly(5, 3);
        assertThat(h.kind()).isEqualTo('u');
        assertThat(h.itemSize()).isEqualTo(2);
        assertThat(h.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(parse(npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (), }")).size()).isEqualTo(1);
        assertThat(parse(npy(2, "{'descr': 'i8', 'fortran_order': False, 'shape': (4, 0), }")).size()).isZero();
        assertThat(parse(npy(1, "{'descr': '=f8', 'fortran_order': False, 'shape': (9,), }")).order())
                .isEqualTo(ByteOrder.nativeOrder());
        assertThat(parse(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }"))
                .size()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void eachProblemIsReportedThroughTheInput() {
        byte[] other = npy(1, "{}");
        other[3] = 'X';
        assertThatThrownBy(() -> parse(other))
                .hasMessage("the .npy magic @0: expected \\x93NUMPY, found '\u0093NUXPY'");
        byte[] v4 = npy(1, "{}");
        v4[6] = 4;
        assertThatThrownBy(() -> parse(v4))
                .hasMessage("the .npy version @6: expected format version 1, 2 or 3, found 4.0");
        byte[] huge = Arrays.copyOf(npy(2, ""), 12);
        ByteBuffer.wrap(huge, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((1 << 20) + 1);
        assertThatThrownBy(() -> parse(huge))
                .hasMessage("the .npy header length @8: expected a header of at most 1 MiB, found 1048577 bytes");
        assertThatThrownBy(() -> parse(npy(1, "{'descr': '<f4', 'shape': (2,), }")))
                .hasMessage("the .npy header @10: expected a 'fortran_order' entry, found '{'descr': '<f4', "
                        + "'shape': (2,), }'");
        assertThatThrownBy(() -> parse(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }")))
                .hasMessage("the .npy header @10: expected 'fortran_order': False (C order), found "
                        + "'fortran_order': True; save the array with np.ascontiguousarray");
        assertThatThrownBy(() -> parse(npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }")))
                .hasMessage("the .npy header @10: expected " + Npy.DTYPES + ", found '<c8'");
        assertThatThrownBy(() -> parse(npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }")))
                .hasMessage("the .npy header @10: expected " + Npy.DTYPES + ", found [('a'");
        assertThatThrownBy(() -> parse(npy(1, "{'descr': '<f4', 'fortran_order': False, }")))
                .hasMessageStartingWith("the .npy header @10: expected a 'shape' tuple, found '{");
        assertThatThrownBy(() -> parse(npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }")))
                .hasMessage("the .npy header @12: expected a shape of non-negative integers, found (2, -1)");
        assertThatThrownBy(() -> parse(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }")))
                .hasMessage("the .npy header @10: expected a shape of non-negative integers, found (2, x)");
    }
}
