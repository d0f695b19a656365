package io.oddball.report;

import io.oddball.api.data.Shape;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * Draws image instances for reports: an instance as a grey or RGB picture, a feature-score map as a heat map
 * (viridis), and a grid of captioned rows of such panels (Alibi's {@code plot_feature_outlier_image}). Stateless.
 */
public final class ImageTiles {
    /** Viridis at 0, 0.25, 0.5, 0.75 and 1 (matplotlib's default colour map, as Alibi's plots use). */
    private static final int[][] VIRIDIS = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98},
        {253, 231, 37}};
    private static final int GAP = 6;
    private static final int CAPTION = 16;

    static {
        Charts.headless();
    }

    private ImageTiles() {
    }

    /** Whether instances of this shape are images: H×W, or H×W×C with 1 or 3 channels. */
    public static boolean isImage(Shape s) {
        return s != null && (s.rank() == 2 || s.rank() == 3 && (s.dim(2) == 1 || s.dim(2) == 3))
                && s.dim(0) > 1 && s.dim(1) > 1;
    }

    /**
     * One instance as a picture, its values mapped linearly from [lo, hi] to black..white (clipped), magnified by
     * {@code scale}.
     */
    static BufferedImage picture(float[] v, Shape s, double lo, double hi, int scale) {
        int h = s.dim(0);
        int w = s.dim(1);
        int c = s.rank() == 3 ? s.dim(2) : 1;
        double span = hi > lo ? hi - lo : 1;
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = (y * w + x) * c;
                int r = level(v[base], lo, span);
                int g = c == 3 ? level(v[base + 1], lo, span) : r;
                int b = c == 3 ? level(v[base + 2], lo, span) : r;
                fill(img, x, y, scale, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    private static int level(float v, double lo, double span) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, (v - lo) / span)));
    }

    private static void fill(BufferedImage img, int x, int y, int scale, int rgb) {
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                img.setRGB(x * scale + dx, y * scale + dy, rgb);
            }
        }
    }

    /**
     * A feature-score map as a heat map: the mean over channels of each pixel's scores, from 0 (dark) to the largest
     * pixel's value (yellow), magnified by {@code scale}.
     */
    static BufferedImage heatMap(float[] scores, Shape s, int scale) {
        int h = s.dim(0);
        int w = s.dim(1);
        int c = s.rank() == 3 ? s.dim(2) : 1;
        double[] m = new double[h * w];
        double max = 0;
        for (int p = 0; p < h * w; p++) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += scores[p * c + k];
            }
            m[p] = sum / c;
            max = Math.max(max, m[p]);
        }
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < h * w; p++) {
            fill(img, p % w, p / w, scale, viridis(max > 0 ? m[p] / max : 0));
        }
        return img;
    }

    /** The viridis colour of {@code t} in [0, 1], interpolated between five anchors. */
    static int viridis(double t) {
        double u = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) u);
        double f = u - i;
        int rgb = 0;
        for (int k = 0; k < 3; k++) {
            int v = (int) Math.round(VIRIDIS[i][k] + f * (VIRIDIS[i + 1][k] - VIRIDIS[i][k]));
            rgb = rgb << 8 | v;
        }
        return rgb;
    }

    /** A magnification that shows an image of height {@code h} at about 84 pixels or more. */
    static int scaleFor(Shape s) {
        return Math.max(1, (int) Math.ceil(84.0 / Math.max(s.dim(0), s.dim(1))));
    }

    /** One cell of a grid: its panels side by side under a caption, and the panels' titles. */
    record Cell(String caption, List<BufferedImage> panels, List<String> titles) {
    }

    /**
     * Cells in as many columns as fit in {@code maxWidth} pixels, each with a caption above and the panel titles
     * under its panels.
     */
    static BufferedImage grid(List<Cell> cells, int maxWidth) {
        int pw = cells.get(0).panels().get(0).getWidth();
        int ph = cells.get(0).panels().get(0).getHeight();
        int panels = cells.get(0).panels().size();
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        FontMetrics fm = metrics(font);
        int captionW = 0;
        for (Cell c : cells) {
            captionW = Math.max(captionW, fm.stringWidth(c.caption()));
        }
        int cellW = Math.max(panels * pw + (panels - 1) * 2, captionW + 4);
        int cellH = CAPTION + ph + CAPTION;
        int cols = Math.max(1, Math.min(cells.size(), (maxWidth - GAP * 2) / (cellW + GAP * 2)));
        int rows = (cells.size() + cols - 1) / cols;
        int width = cols * cellW + (cols + 1) * GAP * 2;
        int height = rows * cellH + (rows + 1) * GAP;
        return canvas(width, height, g -> {
            g.setFont(font);
            for (int i = 0; i < cells.size(); i++) {
                Cell cell = cells.get(i);
                int x0 = GAP * 2 + (i % cols) * (cellW + GAP * 2);
                int y0 = GAP + (i / cols) * (cellH + GAP);
                g.setColor(Color.BLACK);
                g.drawString(cell.caption(), x0, y0 + CAPTION - 4);
                for (int p = 0; p < cell.panels().size(); p++) {
                    int x = x0 + p * (pw + 2);
                    g.drawImage(cell.panels().get(p), x, y0 + CAPTION, null);
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(cell.titles().get(p), x, y0 + CAPTION + ph + CAPTION - 4);
                }
            }
        });
    }

    /** A white {@code width}×{@code height} image, text antialiased, on which {@code paint} draws. */
    static BufferedImage canvas(int width, int height, Consumer<Graphics2D> paint) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            paint.accept(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** How wide text of {@code font} is drawn. */
    static FontMetrics metrics(Font font) {
        Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return probe.getFontMetrics(font);
        } finally {
            probe.dispose();
        }
    }

    /** The image as PNG bytes. */
    static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("image: cannot encode PNG: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
