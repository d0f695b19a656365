package io.oddball.bench;

import io.oddball.api.data.Shape;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.CubicCurve2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Out-of-distribution proxies for 8-bit grayscale images, built only from in-distribution images or generated: no
 * image of any set a score is reported on. Transformations of the given images (inverted, flipped, turned,
 * patch-shuffled, blurred, shifted) keep their pixel statistics but not their shapes or polarity; generated sets stand
 * for what a user may meet that nobody tuned for: noise (uniform, smooth, sparse), constant images, letters and
 * symbols rendered in the fonts the machine has (white on black and black on white; no digits, which would be a
 * stand-in for MNIST, a reported test set), pen strokes (handwriting-like), and filled geometric shapes.
 */
public final class LlrProxySets {
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz&@#%?!$";

    private LlrProxySets() {
    }

    /** Every proxy set, {@code m} images each of {@code shape} (H×W×1), from the images {@code x} and {@code seed}. */
    public static Map<String, float[]> make(float[] x, int m, Shape shape, long seed) {
        int h = (int) shape.dim(0);
        int w = (int) shape.dim(1);
        int f = h * w;
        Map<String, float[]> sets = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(seed);
        float[] inv = new float[m * f];
        float[] blur = new float[m * f];
        float[] shift = new float[m * f];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < f; j++) {
                inv[i * f + j] = 255 - x[i * f + j];
            }
            float[] b = box(box(java.util.Arrays.copyOfRange(x, i * f, (i + 1) * f), h, w), h, w);
            System.arraycopy(b, 0, blur, i * f, f);
            int dy = (r.nextBoolean() ? 1 : -1) * r.nextInt(5, 10);
            int dx = (r.nextBoolean() ? 1 : -1) * r.nextInt(5, 10);
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    int sy = y - dy;
                    int sx = xx - dx;
                    shift[i * f + y * w + xx] = sy >= 0 && sy < h && sx >= 0 && sx < w ? x[i * f + sy * w + sx] : 0;
                }
            }
        }
        sets.put("inverted", inv);
        sets.putAll(LlrProxies.standIns(x, m, shape));
        sets.put("blurred", blur);
        sets.put("shifted", shift);
        sets.put("noise-uniform", generate(m, f, i -> {
            float[] a = new float[f];
            for (int j = 0; j < f; j++) {
                a[j] = r.nextInt(256);
            }
            return a;
        }));
        sets.put("noise-smooth", generate(m, f, i -> {
            float[] a = new float[f];
            for (int j = 0; j < f; j++) {
                a[j] = r.nextInt(256);
            }
            a = box(box(box(a, h, w), h, w), h, w);
            return stretch(a);
        }));
        sets.put("noise-sparse", generate(m, f, i -> {
            float[] a = new float[f];
            double p = 0.05 + 0.3 * r.nextDouble();
            for (int j = 0; j < f; j++) {
                a[j] = r.nextDouble() < p ? r.nextInt(1, 256) : 0;
            }
            return a;
        }));
        sets.put("constant", generate(m, f, i -> {
            float[] a = new float[f];
            java.util.Arrays.fill(a, r.nextInt(256));
            return a;
        }));
        List<Font> fonts = fonts();
        sets.put("glyphs", draw(m, h, w, false, (g, i) -> glyph(g, r, fonts, h, w)));
        sets.put("glyphs-dark", draw(m, h, w, true, (g, i) -> glyph(g, r, fonts, h, w)));
        // letters that fill the frame, bold and plain, as in collections of glyph images
        sets.put("glyphs-large", draw(m, h, w, false, (g, i) -> bigGlyph(g, r, fonts, h, w)));
        sets.put("glyphs-large-dark", draw(m, h, w, true, (g, i) -> bigGlyph(g, r, fonts, h, w)));
        sets.put("strokes", draw(m, h, w, false, (g, i) -> strokes(g, r, h, w)));
        sets.put("strokes-dark", draw(m, h, w, true, (g, i) -> strokes(g, r, h, w)));
        sets.put("shapes", draw(m, h, w, r.nextBoolean(), (g, i) -> shapes(g, r, h, w)));
        return sets;
    }

    /** Bytes of {@code x}'s image {@code i} as a PNG at the strongest compression of the JDK's writer. */
    public static int pngBytes(float[] x, int i, Shape shape) {
        int h = (int) shape.dim(0);
        int w = (int) shape.dim(1);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int j = 0; j < h * w; j++) {
            px[j] = (byte) Math.max(0, Math.min(255, Math.round(x[i * h * w + j])));
        }
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("png");
        ImageWriter writer = it.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0f);
            writer.write(null, new IIOImage(img, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.size();
    }

    private interface Maker {
        float[] make(int i);
    }

    private interface Painter {
        void paint(Graphics2D g, int i);
    }

    private static float[] generate(int m, int f, Maker maker) {
        float[] out = new float[m * f];
        for (int i = 0; i < m; i++) {
            System.arraycopy(maker.make(i), 0, out, i * f, f);
        }
        return out;
    }

    private static float[] draw(int m, int h, int w, boolean dark, Painter painter) {
        float[] out = new float[m * h * w];
        for (int i = 0; i < m; i++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(dark ? Color.WHITE : Color.BLACK);
            g.fillRect(0, 0, w, h);
            g.setColor(dark ? Color.BLACK : Color.WHITE);
            painter.paint(g, i);
            g.dispose();
            byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int j = 0; j < h * w; j++) {
                out[i * h * w + j] = px[j] & 0xff;
            }
        }
        return out;
    }

    private static List<Font> fonts() {
        List<Font> fonts = new java.util.ArrayList<>();
        for (String name : java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames()) {
            for (int style : new int[] {Font.PLAIN, Font.BOLD, Font.ITALIC}) {
                fonts.add(new Font(name, style, 20));
            }
        }
        return fonts;
    }

    private static void glyph(Graphics2D g, SplittableRandom r, List<Font> fonts, int h, int w) {
        Font font = fonts.get(r.nextInt(fonts.size())).deriveFont((float) r.nextInt(16, 30));
        g.setFont(font);
        String s = String.valueOf(LETTERS.charAt(r.nextInt(LETTERS.length())));
        FontMetrics fm = g.getFontMetrics();
        int tx = (w - fm.stringWidth(s)) / 2 + r.nextInt(-2, 3);
        int ty = (h - fm.getHeight()) / 2 + fm.getAscent() + r.nextInt(-2, 3);
        g.drawString(s, tx, ty);
    }

    /** One letter scaled so that its box fills most of the image (and may be clipped). */
    private static void bigGlyph(Graphics2D g, SplittableRandom r, List<Font> fonts, int h, int w) {
        Font font = fonts.get(r.nextInt(fonts.size()));
        String s = String.valueOf(LETTERS.charAt(r.nextInt(LETTERS.length())));
        java.awt.font.GlyphVector v = font.deriveFont(100f).createGlyphVector(g.getFontRenderContext(), s);
        java.awt.geom.Rectangle2D box = v.getVisualBounds();
        double fill = 0.8 + 0.35 * r.nextDouble();
        double scale = fill * Math.min(w / box.getWidth(), h / box.getHeight());
        java.awt.geom.AffineTransform t = new java.awt.geom.AffineTransform();
        t.translate(w / 2.0, h / 2.0);
        t.scale(scale, scale);
        t.translate(-box.getCenterX(), -box.getCenterY());
        g.fill(t.createTransformedShape(v.getOutline()));
    }

    private static void strokes(Graphics2D g, SplittableRandom r, int h, int w) {
        g.setStroke(new BasicStroke((float) (1.5 + 2 * r.nextDouble()), BasicStroke.CAP_ROUND,
                BasicStroke.JOIN_ROUND));
        int n = r.nextInt(1, 5);
        for (int k = 0; k < n; k++) {
            g.draw(new CubicCurve2D.Double(p(r, w), p(r, h), p(r, w), p(r, h), p(r, w), p(r, h), p(r, w), p(r, h)));
        }
    }

    private static void shapes(Graphics2D g, SplittableRandom r, int h, int w) {
        int n = r.nextInt(1, 4);
        for (int k = 0; k < n; k++) {
            g.setColor(new Color(r.nextInt(64, 256), r.nextInt(64, 256), r.nextInt(64, 256)));
            double x0 = p(r, w);
            double y0 = p(r, h);
            double sw = 4 + r.nextDouble() * 14;
            double sh = 4 + r.nextDouble() * 14;
            g.fill(r.nextBoolean() ? new Rectangle2D.Double(x0 - sw / 2, y0 - sh / 2, sw, sh)
                    : new Ellipse2D.Double(x0 - sw / 2, y0 - sh / 2, sw, sh));
        }
    }

    private static double p(SplittableRandom r, int side) {
        return 3 + r.nextDouble() * (side - 6);
    }

    /** A 3×3 box blur with edges repeated. */
    private static float[] box(float[] a, int h, int w) {
        float[] b = new float[a.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = Math.max(0, Math.min(h - 1, y + dy));
                        int xx = Math.max(0, Math.min(w - 1, x + dx));
                        s += a[yy * w + xx];
                    }
                }
                b[y * w + x] = Math.round(s / 9);
            }
        }
        return b;
    }

    /** Values stretched to 0–255. */
    private static float[] stretch(float[] a) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : a) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float[] b = new float[a.length];
        for (int j = 0; j < a.length; j++) {
            b[j] = hi > lo ? Math.round((a[j] - lo) * 255 / (hi - lo)) : 0;
        }
        return b;
    }
}
