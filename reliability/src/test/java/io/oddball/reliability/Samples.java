package io.oddball.reliability;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

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

    // ------------------------------------------------------------------ hostile files, small on disk

    /**
     * Raw DEFLATE data of {@code prefix} followed by {@code mib} MiB of zero bytes, made in milliseconds: once the
     * 32 KiB window holds only zeros, each further MiB of zeros compresses (with a sync flush) to the same bytes, so
     * they are repeated rather than recomputed. About 1 KB per MiB: a real decompression bomb of about 1000:1.
     */
    static byte[] deflatedZeros(byte[] prefix, int mib) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[1 << 20];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] first = flush(d, concat(prefix, zeros));
        byte[] second = flush(d, zeros);
        byte[] third = flush(d, zeros);
        if (!Arrays.equals(second, third)) {
            throw new IllegalStateException("zeros did not reach a steady compressed form");
        }
        out.writeBytes(first);
        for (int i = 1; i < mib; i++) {
            out.writeBytes(third);
        }
        // an empty final block with fixed Huffman codes (BFINAL=1, BTYPE=01, end-of-block)
        out.write(0x03);
        out.write(0x00);
        d.end();
        return out.toByteArray();
    }

    /** The CRC-32 of {@code prefix} followed by {@code mib} MiB of zero bytes. */
    static long crcOfZeros(byte[] prefix, int mib) {
        CRC32 crc = new CRC32();
        crc.update(prefix);
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < mib; i++) {
            crc.update(zeros);
        }
        return crc.getValue();
    }

    private static byte[] flush(Deflater d, byte[] input) {
        d.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length || !d.needsInput());
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * A gzip file of {@code prefix} followed by {@code mib} MiB of zeros (below 4 GiB in all), its trailer correct:
     * what {@code gzip} makes of such data.
     */
    static byte[] gzippedZeros(byte[] prefix, int mib) {
        byte[] deflated = deflatedZeros(prefix, mib);
        long size = prefix.length + ((long) mib << 20);
        ByteBuffer b = ByteBuffer.allocate(10 + deflated.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}).put(deflated);
        b.putInt((int) crcOfZeros(prefix, mib)).putInt((int) size);
        return b.array();
    }

    /**
     * A zip (as {@code np.savez_compressed} writes it) of one deflated entry {@code name} holding {@code prefix}
     * then {@code mib} MiB of zeros, below 4 GiB uncompressed; sizes and CRC-32 in its directory are true.
     */
    static byte[] zipOfZeros(String name, byte[] prefix, int mib) {
        byte[] deflated = deflatedZeros(prefix, mib);
        long size = prefix.length + ((long) mib << 20);
        if (size >= 1L << 32) {
            throw new IllegalArgumentException("needs zip64: " + size);
        }
        int crc = (int) crcOfZeros(prefix, mib);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(30 + n.length + deflated.length + 46 + n.length + 22)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 8).putInt(0)
                .putInt(crc).putInt(deflated.length).putInt((int) size).putShort((short) n.length).putShort((short) 0)
                .put(n).put(deflated);
        int cen = b.position();
        b.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 8)
                .putInt(0).putInt(crc).putInt(deflated.length).putInt((int) size).putShort((short) n.length)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(0)
                .put(n);
        int cenSize = b.position() - cen;
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
                .putInt(cenSize).putInt(cen).putShort((short) 0);
        return b.array();
    }

    /**
     * A PNG whose header (IHDR) declares {@code width}×{@code height} RGB pixels, with one tiny IDAT chunk: what a
     * decoder would allocate for is in the header alone.
     */
    static byte[] pngDeclaring(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
            z.write(new byte[1 + 3 * Math.min(width, 1000)]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        ByteBuffer b = ByteBuffer.allocate(12 + data.length).putInt(data.length).put(t).put(data)
                .putInt((int) crc.getValue());
        out.writeBytes(b.array());
    }

    /** A {@code w×h} image of random colours, encoded as {@code format} ({@code png} or {@code jpg}). */
    static byte[] image(Random r, int w, int h, String format) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
