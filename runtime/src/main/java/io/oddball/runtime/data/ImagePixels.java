package io.oddball.runtime.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;

/**
 * Pixel extraction and resizing for the {@code images} reader, on floats 0..255, channels last.
 *
 * <p>Colour: 3 channels in RGB order; 1 channel is the BT.601 luma {@code 0.299 R + 0.587 G + 0.114 B} (as PIL's
 * {@code convert("L")}, but not rounded). Grey images are read from their raster as stored (no gamma conversion) and
 * copied to all three channels when 3 are asked for. Alpha is dropped.
 *
 * <p>Resizing is bilinear with half-pixel centres and no antialiasing, as TensorFlow's {@code tf.image.resize}
 * ({@code bilinear}, {@code antialias=False}) and PyTorch's {@code interpolate(mode="bilinear",
 * align_corners=False)}: output pixel {@code x} samples the input at {@code (x + 0.5) · in / out − 0.5}, clamped to
 * the image.
 */
final class ImagePixels {
    private ImagePixels() {
    }

    /** The pixels of {@code image} as {@code H×W×channels} floats 0..255. */
    static float[] pixels(BufferedImage image, int channels) {
        int h = image.getHeight();
        int w = image.getWidth();
        float[] out = new float[h * w * channels];
        ColorModel cm = image.getColorModel();
        if (cm.getNumColorComponents() == 1) {
            Raster raster = image.getRaster();
            int shift = Math.max(0, cm.getComponentSize(0) - 8);
            float scale = shift == 0 && cm.getComponentSize(0) < 8 ? 255f / ((1 << cm.getComponentSize(0)) - 1) : 1f;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = (raster.getSample(x, y, 0) >> shift) * scale;
                    for (int c = 0; c < channels; c++) {
                        out[(y * w + x) * channels + c] = v;
                    }
                }
            }
            return out;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int r = (row[x] >> 16) & 0xFF;
                int g = (row[x] >> 8) & 0xFF;
                int b = row[x] & 0xFF;
                int o = (y * w + x) * channels;
                if (channels == 1) {
                    out[o] = 0.299f * r + 0.587f * g + 0.114f * b;
                } else {
                    out[o] = r;
                    out[o + 1] = g;
                    out[o + 2] = b;
                }
            }
        }
        return out;
    }

    /** Resizes {@code src} ({@code inH×inW×channels}) bilinearly into {@code dst} from {@code off}. */
    static void resize(float[] src, int inH, int inW, int channels, float[] dst, int off, int outH, int outW) {
        for (int y = 0; y < outH; y++) {
            float sy = Math.max(0f, (y + 0.5f) * inH / outH - 0.5f);
            int y0 = Math.min((int) sy, inH - 1);
            int y1 = Math.min(y0 + 1, inH - 1);
            float fy = sy - y0;
            for (int x = 0; x < outW; x++) {
                float sx = Math.max(0f, (x + 0.5f) * inW / outW - 0.5f);
                int x0 = Math.min((int) sx, inW - 1);
                int x1 = Math.min(x0 + 1, inW - 1);
                float fx = sx - x0;
                for (int c = 0; c < channels; c++) {
                    float top = src[(y0 * inW + x0) * channels + c] * (1 - fx) + src[(y0 * inW + x1) * channels + c] * fx;
                    float bottom = src[(y1 * inW + x0) * channels + c] * (1 - fx)
                            + src[(y1 * inW + x1) * channels + c] * fx;
                    dst[off + (y * outW + x) * channels + c] = top * (1 - fy) + bottom * fy;
                }
            }
        }
    }
}
