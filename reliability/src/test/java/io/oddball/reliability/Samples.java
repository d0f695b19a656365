package io.oddball.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small valid files of every binary and text format the readers take, built in memory from a seed. */
final class Samples {
    private Samples() {
    }

    /** An IDX file of {@code n} unsigned-byte images {@code h×w} (magic 0x00000803). */
    static byte[] idx(Random r, int n, int h, int w) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * h * w).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x00000803).putInt(n).putInt(h).putInt(w);
        byte[] pixels = new byte[n * h * w];
        r.nextBytes(pixels);
        return b.put(pixels).array();
    }

    /** A CIFAR-10 binary file of {@code n} records (label byte 0..9, then 3072 pixel bytes). */
    static byte[] cifar(Random r, int n) {
        byte[] out = new byte[n * 3073];
        r.nextBytes(out);
        for (int i = 0; i < n; i++) {
            out[i * 3073] = (byte) r.nextInt(10);
        }
        return out;
    }

    /** A version-1 {@code .npy} of little-endian float32 values of shape {@code (n, f)}, as NumPy writes it. */
    static byte[] npy(Random r, int n, int f) {
        ByteBuffer data = ByteBuffer.allocate(4 * n * f).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n * f; i++) {
            data.putFloat((float) r.nextGaussian());
        }
        return npy("<f4", "(" + n + ", " + f + ")", data.array());
    }

    /** A version-1 {@code .npy} with the given dtype, shape text and payload. */
    static byte[] npy(String descr, String shape, byte[] payload) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(payload);
        return b.array();
    }

    /** A {@code .npz} (zip) holding {@code x.npy}, stored or deflated as {@code np.savez(_compressed)} writes it. */
    static byte[] npz(byte[] npy, boolean deflated) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            ZipEntry e = new ZipEntry("x.npy");
            if (!deflated) {
                CRC32 crc = new CRC32();
                crc.update(npy);
                e.setMethod(ZipEntry.STORED);
                e.setSize(npy.length);
                e.setCompressedSize(npy.length);
                e.setCrc(crc.getValue());
            }
            zip.putNextEntry(e);
            zip.write(npy);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A CSV file with a header {@code a,b,...} and {@code n} rows of {@code f} numbers. */
    static byte[] csv(Random r, int n, int f) {
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < f; j++) {
            s.append(j == 0 ? "" : ",").append((char) ('a' + j));
        }
        s.append('\n');
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                s.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", r.nextGaussian()));
            }
            s.append('\n');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code data} gzipped. */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
