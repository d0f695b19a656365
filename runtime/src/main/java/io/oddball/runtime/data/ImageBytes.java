package io.oddball.runtime.data;

import io.oddball.api.error.DataException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Images held in memory rather than in files (a table's binary column, Spark's {@code image} struct), turned into
 * instances exactly as the {@code images} reader turns files into them: {@code H×W×C} floats 0..255, channels last,
 * RGB or BT.601 luma, resized bilinearly with half-pixel centres (see {@link ImagePixels}).
 */
public final class ImageBytes {
    private ImageBytes() {
    }

    /**
     * Decodes a PNG or JPEG file's bytes into {@code height×width×channels} floats, resizing when its size differs.
     *
     * @param name names the image in messages (a row, a file)
     * @throws DataException naming {@code name} when the bytes are no PNG/JPEG, are damaged or declare more than
     *     {@code maxPixels} pixels
     */
    public static float[] decode(byte[] bytes, String name, int height, int width, int channels, long maxPixels) {
        checkChannels(channels);
        BufferedImage image;
        // a memory cache: no temporary file per image, as ImageIO.createImageInputStream would make for a stream
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            image = ImagesReaderProvider.read(in, name, maxPixels);
        } catch (IOException e) {
            throw new DataException(name + ": expected a readable PNG or JPEG image, found broken image data ("
                    + e + ")", e);
        }
        return sized(ImagePixels.pixels(image, channels), image.getHeight(), image.getWidth(), channels, height,
                width);
    }

    /**
     * Decoded pixels stored interleaved, row by row, as bytes 0..255 ({@code nChannels} 1: grey; 3: BGR; 4: BGRA, the
     * alpha dropped; the layout of Spark's {@code image} data source and OpenCV), as
     * {@code height×width×channels} floats (RGB, or luma for 1 channel), resized when the size differs.
     *
     * @throws DataException naming {@code name} when the byte count is not {@code h·w·nChannels}
     */
    public static float[] fromBgr(byte[] data, int h, int w, int nChannels, String name, int height, int width,
            int channels) {
        checkChannels(channels);
        if (nChannels != 1 && nChannels != 3 && nChannels != 4) {
            throw new DataException(name + ": expected an image of 1, 3 or 4 channels, found " + nChannels);
        }
        if (h < 1 || w < 1 || data == null || (long) h * w * nChannels != data.length) {
            throw new DataException(name + ": expected " + h + "x" + w + "x" + nChannels + " = "
                    + ((long) h * w * nChannels) + " bytes of pixels, found "
                    + (data == null ? "none" : data.length));
        }
        float[] px = new float[h * w * channels];
        for (int i = 0; i < h * w; i++) {
            int o = i * nChannels;
            float r;
            float g;
            float b;
            if (nChannels == 1) {
                r = g = b = data[o] & 0xFF;
                if (channels == 1) {
                    px[i] = r;
                    continue;
                }
            } else {
                b = data[o] & 0xFF;
                g = data[o + 1] & 0xFF;
                r = data[o + 2] & 0xFF;
            }
            if (channels == 1) {
                px[i] = 0.299f * r + 0.587f * g + 0.114f * b;
            } else {
                px[i * 3] = r;
                px[i * 3 + 1] = g;
                px[i * 3 + 2] = b;
            }
        }
        return sized(px, h, w, channels, height, width);
    }

    private static float[] sized(float[] px, int h, int w, int channels, int height, int width) {
        if (h == height && w == width) {
            return px;
        }
        float[] out = new float[height * width * channels];
        ImagePixels.resize(px, h, w, channels, out, 0, height, width);
        return out;
    }

    private static void checkChannels(int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels: expected 1 or 3, found " + channels);
        }
    }
}
