package io.oddball.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderProviderTest {
    private final NpyReaderProvider npy = new NpyReaderProvider();
    private final NpzReaderProvider npz = new NpzReaderProvider();

    @TempDir
    Path tmp;

    /** A version-1 .npy file as NumPy writes it: header padded with spaces to a multiple of 64, then the data. */
    static byte[] npyBytes(String descr, boolean fortran, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': ("
                + shape + "), }";
        int total = 10 + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    static byte[] floats(ByteOrder order, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    private static float[] range(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = i * 0.25f;
        }
        return f;
    }

    @Test
    void readsFloat32Rank3WithLabels() {
        Path data = TestData.write(tmp, "x.npy", npyBytes("<f4", false, "4, 2, 3", floats(ByteOrder.LITTLE_ENDIAN,
                range(24))));
        Path labels = TestData.write(tmp, "y.npy", npyBytes("<i8", false, "4,", longs(3, 1, 4, 1)));
        Dataset d = TestData.open(npy, data, Map.of("labels", labels.toString()));
        assertThat(d.instanceShape()).isEqualTo(Shape.of(2, 3));
        assertThat(d.size()).hasValue(4);
        assertThat(TestData.values(d, 3)).containsExactly(range(24));
        assertThat(TestData.labels(d, 3)).containsExactly(3, 1, 4, 1);
    }

    @Test
    void readsOtherDtypesAndByteOrders() {
        Path big = TestData.write(tmp, "big.npy", npyBytes(">f4", false, "3,", floats(ByteOrder.BIG_ENDIAN, 1, -2,
                3.5f)));
        assertThat(TestData.values(TestData.open(npy, big, Map.of()), 2)).containsExactly(1, -2, 3.5f);
        Path u8 = TestData.write(tmp, "u8.npy", npyBytes("|u1", false, "2, 2", new byte[] {0, (byte) 255, 7, 9}));
        Dataset bytes = TestData.open(npy, u8, Map.of());
        assertThat(bytes.instanceShape()).isEqualTo(Shape.of(2));
        assertThat(TestData.values(bytes, 1)).containsExactly(0, 255, 7, 9);
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.125).putDouble(-4);
        Path f8 = TestData.write(tmp, "f8.npy", npyBytes("<f8", false, "2, 1", d.array()));
        assertThat(TestData.values(TestData.open(npy, f8, Map.of()), 5)).containsExactly(0.125f, -4f);
        Path i8 = TestData.write(tmp, "i8.npy", npyBytes("<i8", false, "2,", longs(-3, 1L << 40)));
        assertThat(TestData.values(TestData.open(npy, i8, Map.of()), 5)).containsExactly(-3f, (float) (1L << 40));
    }

    @Test
    void headerErrorsNameTheFile() {
        byte[] good = npyBytes("<f4", false, "2, 2", floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4));
        byte[] magic = good.clone();
        magic[1] = 'X';
        Path bad = TestData.write(tmp, "magic.npy", magic);
        assertThatThrownBy(() -> TestData.open(npy, bad, Map.of())).isInstanceOf(DataException.class)
                .hasMessageStartingWith(bad + ": the .npy magic at byte offset 0: expected \\x93NUMPY, found '");
        Path fortran = TestData.write(tmp, "f.npy", npyBytes("<f4", true, "2, 2", floats(ByteOrder.LITTLE_ENDIAN, 1, 2,
                3, 4)));
        assertThatThrownBy(() -> TestData.open(npy, fortran, Map.of())).hasMessage(fortran
                + ": the .npy header at byte offset 10: expected 'fortran_order': False (C order), found "
                + "'fortran_order': True; save the array with np.ascontiguousarray");
        Path complex = TestData.write(tmp, "c.npy", npyBytes("<c8", false, "2,", new byte[16]));
        assertThatThrownBy(() -> TestData.open(npy, complex, Map.of())).hasMessage(complex
                + ": the .npy header at byte offset 10: expected a dtype f4, f8, i1, i2, i4, i8, u1, u2, u4, u8 or "
                + "b1 (e.g. '<f4'), found '<c8'");
        Path shortData = TestData.write(tmp, "short.npy", Arrays.copyOf(good, good.length - 6));
        assertThatThrownBy(() -> TestData.open(npy, shortData, Map.of())).hasMessage(shortData
                + ": record 1 at byte offset 136: expected 144 bytes in all (128-byte header + 2 records x 8 bytes, "
                + "from shape and dtype '<f4' (2, 2)), found 138 bytes (the file is truncated)");
        Path scalar = TestData.write(tmp, "scalar.npy", npyBytes("<f4", false, "", floats(ByteOrder.LITTLE_ENDIAN,
                1)));
        assertThatThrownBy(() -> TestData.open(npy, scalar, Map.of()))
                .hasMessageContaining("expected an array with a first (instance) axis, found shape ()");
    }

    @Test
    void labelsMustBeIntegersOnePerInstance() {
        Path data = TestData.write(tmp, "x.npy", npyBytes("<f4", false, "2,", floats(ByteOrder.LITTLE_ENDIAN, 1, 2)));
        Path three = TestData.write(tmp, "y.npy", npyBytes("<i8", false, "3,", longs(1, 2, 3)));
        assertThatThrownBy(() -> TestData.open(npy, data, Map.of("labels", three.toString())))
                .hasMessageStartingWith(three + ": the .npy header at byte offset 0: expected 2 labels");
        Path floatLabels = TestData.write(tmp, "z.npy", npyBytes("<f4", false, "2,", floats(ByteOrder.LITTLE_ENDIAN,
                1, 2)));
        assertThatThrownBy(() -> TestData.open(npy, data, Map.of("labels", floatLabels.toString())))
                .hasMessage(floatLabels + ": the .npy header at byte offset 0: expected integer labels of shape (2,), "
                        + "found '<f4' (2)");
    }

    private Path npzFile(String name, boolean deflate, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return TestData.write(tmp, name, out.toByteArray());
    }

    @Test
    void readsNpzStoredAndDeflated() throws IOException {
        byte[] x = npyBytes("<f4", false, "3, 2", floats(ByteOrder.LITTLE_ENDIAN, range(6)));
        byte[] y = npyBytes("<i8", false, "3,", longs(0, 1, 0));
        for (boolean deflate : new boolean[] {false, true}) {
            Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
            entries.put("y.npy", y);
            entries.put("x.npy", x);
            Path file = npzFile("a" + deflate + ".npz", deflate, entries);
            Dataset d = TestData.open(npz, file, Map.of("labelsArray", "y"));
            assertThat(d.name()).isEqualTo(file + "!x.npy");
            assertThat(d.instanceShape()).isEqualTo(Shape.of(2));
            assertThat(TestData.values(d, 2)).containsExactly(range(6));
            assertThat(TestData.labels(d, 2)).containsExactly(0, 1, 0);
            assertThat(TestData.values(TestData.open(npz, file, Map.of("array", "x.npy")), 2))
                    .containsExactly(range(6));
            assertThatThrownBy(() -> TestData.open(npz, file, Map.of("array", "z")))
                    .hasMessage(file + ": expected an array named one of [y, x], found 'z'");
        }
    }

    @Test
    void notAZipIsNamed() {
        Path file = TestData.write(tmp, "bad.npz", "not a zip");
        assertThatThrownBy(() -> TestData.open(npz, file, Map.of())).isInstanceOf(DataException.class)
                .hasMessageStartingWith(file + ": expected a zip archive of .npy arrays (.npz), found ZipException");
    }
}
