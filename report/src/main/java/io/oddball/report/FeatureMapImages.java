package io.oddball.report;

import io.oddball.api.data.Shape;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Draws per-value maps ({@link io.oddball.api.FeatureMaps}) and samples ({@link io.oddball.api.Sampler}) of image
 * data: one row per instance (the input, then each map colour-mapped, each with a title and a colour bar with its
 * range), rows packed into a sheet, and a grid of samples. Stateless.
 *
 * <p>A map is drawn per pixel as the sum over its channels (for log-probabilities, the pixel's log-probability).
 * Maps with both signs use a diverging blue-white-red scale symmetric around 0; other maps viridis from their
 * smallest to their largest value. Each tile has its own range, written under its colour bar.
 */
final class FeatureMapImages {
    private static final int GAP = 8;
    private static final int LINE = 15;
    private static final int BAR = 8;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font BOLD = new Font(Font.SANS_SERIF, Font.BOLD, 11);
    /** Matplotlib's coolwarm at its ends and middle. */
    private static final int[][] COOLWARM = {{59, 76, 192}, {221, 221, 221}, {180, 4, 38}};

    static {
        Charts.headless();
    }

    private FeatureMapImages() {
    }

    /** A magnification that shows an image at about {@code pixels} pixels or more on its longer side. */
    static int scaleFor(Shape s, int pixels) {
        return Math.max(1, (int) Math.ceil((double) pixels / Math.max(s.dim(0), s.dim(1))));
    }

    /**
     * The range an instance's values are shown in: {@code [0, 1]} or {@code [0, 255]} when they all lie there (scaled
     * or 8-bit images), else their own smallest to largest.
     */
    static double[] displayRange(float[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        if (lo >= 0 && hi <= 1) {
            return new double[] {0, 1};
        }
        if (lo >= 0 && hi <= 255) {
            return new double[] {0, 255};
        }
        return new double[] {lo, hi > lo ? hi : lo + 1};
    }

    /** The colour scale of one map: diverging around 0 when it has both signs, else viridis over its range. */
    record Scale(double lo, double hi, boolean diverging) {
        static Scale of(double[] values) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (lo > hi) {
                return new Scale(0, 1, false);
            }
            if (lo < 0 && hi > 0) {
                double m = Math.max(-lo, hi);
                return new Scale(-m, m, true);
            }
            return new Scale(lo, hi > lo ? hi : lo + 1, false);
        }

        /** The colour of {@code v}; non-finite values are grey. */
        int rgb(double v) {
            if (!Double.isFinite(v)) {
                return 0x808080;
            }
            double t = Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
            return diverging ? coolwarm(t) : ImageTiles.viridis(t);
        }
    }

    private static int coolwarm(double t) {
        int i = t < 0.5 ? 0 : 1;
        double f = t < 0.5 ? t * 2 : t * 2 - 1;
        int rgb = 0;
        for (int k = 0; k < 3; k++) {
            rgb = rgb << 8 | (int) Math.round(COOLWARM[i][k] + f * (COOLWARM[i + 1][k] - COOLWARM[i][k]));
        }
        return rgb;
    }

    /** The sum over channels of each pixel of one instance's map ({@code H×W} values). */
    static double[] perPixel(float[] map, Shape s) {
        int hw = s.dim(0) * s.dim(1);
        int c = s.rank() == 3 ? s.dim(2) : 1;
        double[] m = new double[hw];
        for (int p = 0; p < hw; p++) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += map[p * c + k];
            }
            m[p] = sum;
        }
        return m;
    }

    private static BufferedImage colourMap(double[] m, Shape s, Scale scale, int mag) {
        int h = s.dim(0);
        int w = s.dim(1);
        BufferedImage img = new BufferedImage(w * mag, h * mag, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < h * w; p++) {
            int rgb = scale.rgb(m[p]);
            for (int dy = 0; dy < mag; dy++) {
                for (int dx = 0; dx < mag; dx++) {
                    img.setRGB((p % w) * mag + dx, (p / w) * mag + dy, rgb);
                }
            }
        }
        return img;
    }

    /** A tile: its picture, title, and colour bar (scale) with its range; null scale for a grey bar. */
    private record Tile(BufferedImage picture, String title, Scale scale, double lo, double hi) {
    }

    /**
     * One instance: a caption above, then side by side the input (grey or RGB over {@code inputRange}) and each map
     * of {@code maps} (this instance's values only, in the input's layout), each titled with its name and with a
     * colour bar labelled with its range.
     */
    static BufferedImage row(String caption, float[] input, double[] inputRange, Map<String, float[]> maps,
            Shape shape, int mag) {
        List<Tile> tiles = new ArrayList<>();
        tiles.add(new Tile(ImageTiles.picture(input, shape, inputRange[0], inputRange[1], mag), "input", null,
                inputRange[0], inputRange[1]));
        maps.forEach((name, values) -> {
            double[] m = perPixel(values, shape);
            Scale s = Scale.of(m);
            tiles.add(new Tile(colourMap(m, shape, s, mag), name, s, s.lo(), s.hi()));
        });
        int pw = shape.dim(1) * mag;
        int ph = shape.dim(0) * mag;
        FontMetrics fm = ImageTiles.metrics(FONT);
        int widest = pw;
        for (Tile t : tiles) {
            widest = Math.max(widest, fm.stringWidth(t.title()));
            widest = Math.max(widest, fm.stringWidth(label(t.lo())) + fm.stringWidth(label(t.hi())) + 12);
        }
        int colW = widest;
        int width = Math.max(GAP * 2 + tiles.size() * colW + (tiles.size() - 1) * GAP,
                GAP * 2 + ImageTiles.metrics(BOLD).stringWidth(caption));
        int height = GAP + LINE + LINE + ph + 3 + BAR + LINE + GAP;
        return captioned(width, height, caption, g -> {
            g.setFont(FONT);
            int y = GAP + LINE;
            for (int i = 0; i < tiles.size(); i++) {
                Tile t = tiles.get(i);
                int x = GAP + i * (colW + GAP);
                g.setColor(Color.DARK_GRAY);
                g.drawString(t.title(), x, y + LINE - 4);
                g.drawImage(t.picture(), x, y + LINE, null);
                int barY = y + LINE + ph + 3;
                for (int bx = 0; bx < pw; bx++) {
                    double f = pw == 1 ? 0 : (double) bx / (pw - 1);
                    int rgb;
                    if (t.scale() == null) {
                        int level = (int) Math.round(255 * f);
                        rgb = level << 16 | level << 8 | level;
                    } else {
                        rgb = t.scale().rgb(t.lo() + f * (t.hi() - t.lo()));
                    }
                    g.setColor(new Color(rgb));
                    g.fillRect(x + bx, barY, 1, BAR);
                }
                g.setColor(Color.DARK_GRAY);
                String lo = label(t.lo());
                String hi = label(t.hi());
                g.drawString(lo, x, barY + BAR + LINE - 4);
                g.drawString(hi, x + Math.max(fm.stringWidth(lo) + 6, pw - fm.stringWidth(hi)),
                        barY + BAR + LINE - 4);
            }
        });
    }

    /** A canvas ({@link ImageTiles#canvas}) with {@code caption} in bold, then what {@code paint} draws. */
    private static BufferedImage captioned(int width, int height, String caption, Consumer<Graphics2D> paint) {
        return ImageTiles.canvas(width, height, g -> {
            g.setColor(Color.BLACK);
            g.setFont(BOLD);
            g.drawString(caption, GAP, GAP + LINE - 4);
            paint.accept(g);
        });
    }

    /** Rows (of equal height) in as many columns as fit in {@code maxWidth} pixels, filled row by row. */
    static BufferedImage sheet(List<BufferedImage> rows, int maxWidth) {
        int rw = rows.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int rh = rows.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        int cols = Math.max(1, Math.min(rows.size(), maxWidth / rw));
        int lines = (rows.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * rw, Math.max(1, lines * rh), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int i = 0; i < rows.size(); i++) {
                g.drawImage(rows.get(i), (i % cols) * rw, (i / cols) * rh, null);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * {@code n} instances of {@code shape} ({@code values} row-major) in a grid of as many columns as fit in
     * {@code maxWidth} pixels (at most {@code ceil(sqrt(n))} for a square-ish grid), under a caption, each shown over
     * the range {@link #displayRange} gives for all of them.
     */
    static BufferedImage samples(String caption, float[] values, int n, Shape shape, int mag, int maxWidth) {
        int f = (int) shape.size();
        double[] range = displayRange(values);
        int pw = shape.dim(1) * mag;
        int ph = shape.dim(0) * mag;
        int fit = Math.max(1, (maxWidth - GAP * 2 + 2) / (pw + 2));
        int cols = Math.max(1, Math.min(fit, (int) Math.ceil(Math.sqrt(n))));
        int lines = (n + cols - 1) / cols;
        int width = Math.max(GAP * 2 + cols * pw + (cols - 1) * 2,
                GAP * 2 + ImageTiles.metrics(BOLD).stringWidth(caption));
        int height = GAP + LINE + lines * ph + (lines - 1) * 2 + GAP;
        return captioned(width, height, caption, g -> {
            for (int i = 0; i < n; i++) {
                float[] v = java.util.Arrays.copyOfRange(values, i * f, (i + 1) * f);
                g.drawImage(ImageTiles.picture(v, shape, range[0], range[1], mag), GAP + (i % cols) * (pw + 2),
                        GAP + LINE + (i / cols) * (ph + 2), null);
            }
        });
    }

    /** A colour-bar label: three significant digits. */
    static String label(double v) {
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e")
                .replaceAll("\\.$", "");
    }
}
