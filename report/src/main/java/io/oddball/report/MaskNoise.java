package io.oddball.report;

import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import java.util.Locale;
import java.util.Random;

/**
 * Alibi Detect's {@code apply_mask} ({@code alibi_detect.utils.perturbation}) for one image of shape H×W×C (or H×W):
 * {@code nMasks} masks of {@code h × w} pixels at random upper-left corners, each giving one perturbed copy of the
 * image. As in Alibi:
 * <ul>
 *   <li>the corner row is drawn uniformly from {@code [0, H − h)} and the column from {@code [0, W − w)} (numpy's
 *       {@code randint(0, H - h)}, exclusive: a mask never touches the last row or column, and {@code h < H} is
 *       required);</li>
 *   <li>{@code uniform} and {@code normal} draw one noise value per mask pixel, the same for every channel, and
 *       <em>add</em> it to the image, then clip every value of the copy to {@code [clipLo, clipHi]} (Alibi clips the
 *       whole instance, not only the patch); {@code uniform} noise is U(a, b) ({@code noise_rng}), {@code normal}
 *       noise N(mean = a, sd = b) ({@code noise_distr});</li>
 *   <li>{@code zeros} multiplies the patch by 0 (sets it to 0) and does not clip.</li>
 * </ul>
 * Draws come in Alibi's order (noise of all masks, then the rows, then the columns) from a {@link Random}, so a seed
 * gives the same masks every run, though not numpy's numbers. A mask of size 0 leaves the image unchanged apart from
 * clipping.
 *
 * @param type the kind of mask
 * @param a uniform: lowest noise; normal: mean
 * @param b uniform: highest noise; normal: standard deviation
 * @param clipLo lowest value of a noisy copy
 * @param clipHi highest value of a noisy copy
 */
public record MaskNoise(Type type, double a, double b, double clipLo, double clipHi) {
    /** How a mask changes the pixels it covers. */
    public enum Type {
        /** Additive U(a, b) noise, then clipping. */
        UNIFORM,
        /** Additive N(a, b²) noise, then clipping. */
        NORMAL,
        /** The patch set to 0, no clipping. */
        ZEROS;

        /** Parses {@code uniform}, {@code normal} or {@code zeros} (also Alibi's {@code zero}). */
        public static Type parse(String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            return switch (t) {
                case "uniform" -> UNIFORM;
                case "normal" -> NORMAL;
                case "zeros", "zero" -> ZEROS;
                default -> throw new ConfigException("--noise: expected uniform, normal or zeros, found '" + s + "'");
            };
        }
    }

    public MaskNoise {
        if (type == Type.UNIFORM && !(a <= b)) {
            throw new ConfigException("noise range: expected low <= high for uniform noise, found " + a + ", " + b);
        }
        if (type == Type.NORMAL && !(b >= 0)) {
            throw new ConfigException("noise range: expected a standard deviation >= 0 for normal noise, found " + b);
        }
        if (!(clipLo <= clipHi)) {
            throw new ConfigException("clip: expected low <= high, found " + clipLo + ", " + clipHi);
        }
    }

    /** A mask size in pixels: {@code height × width}. */
    public record Size(int height, int width) {
        public Size {
            if (height < 0 || width < 0) {
                throw new ConfigException("mask size: expected sizes >= 0, found " + height + "x" + width);
            }
        }

        /** Parses {@code 4} (a 4×4 square) or {@code 4x8}. */
        public static Size parse(String s) {
            String[] p = s.trim().split("[x×]");
            try {
                int h = Integer.parseInt(p[0].trim());
                return new Size(h, p.length > 1 ? Integer.parseInt(p[1].trim()) : h);
            } catch (NumberFormatException e) {
                throw new ConfigException("mask size: expected an integer or HxW, found '" + s + "'");
            }
        }

        /** Fails unless a mask of this size has room in an image of {@code shape} (Alibi needs h < H, w < W). */
        void check(Shape shape) {
            if (height >= shape.dim(0) || width >= shape.dim(1)) {
                throw new ConfigException("mask size: expected less than the image size " + shape.dim(0) + "x"
                        + shape.dim(1) + ", found " + this);
            }
        }

        @Override
        public String toString() {
            return height + "x" + width;
        }
    }

    /**
     * {@code nMasks} perturbed copies of {@code image} (shape {@code shape}: H×W×C or H×W), one after another.
     *
     * @param random the source of the noise and the positions, drawn in Alibi's order
     */
    public float[] apply(float[] image, Shape shape, Size size, int nMasks, Random random) {
        size.check(shape);
        int h = shape.dim(0);
        int w = shape.dim(1);
        int c = shape.rank() == 3 ? shape.dim(2) : 1;
        int f = h * w * c;
        int cells = size.height() * size.width();
        double[] noise = new double[nMasks * cells];
        if (type != Type.ZEROS) {
            for (int i = 0; i < noise.length; i++) {
                noise[i] = type == Type.UNIFORM ? a + (b - a) * random.nextDouble() : a + b * random.nextGaussian();
            }
        }
        int[] rows = new int[nMasks];
        int[] cols = new int[nMasks];
        for (int m = 0; m < nMasks; m++) {
            rows[m] = random.nextInt(h - size.height());
        }
        for (int m = 0; m < nMasks; m++) {
            cols[m] = random.nextInt(w - size.width());
        }
        float[] out = new float[nMasks * f];
        for (int m = 0; m < nMasks; m++) {
            int base = m * f;
            System.arraycopy(image, 0, out, base, f);
            for (int y = 0; y < size.height(); y++) {
                for (int x = 0; x < size.width(); x++) {
                    int pixel = ((rows[m] + y) * w + cols[m] + x) * c;
                    double v = noise[m * cells + y * size.width() + x];
                    for (int k = 0; k < c; k++) {
                        out[base + pixel + k] = type == Type.ZEROS ? 0f : (float) (out[base + pixel + k] + v);
                    }
                }
            }
            if (type != Type.ZEROS) {
                for (int i = base; i < base + f; i++) {
                    out[i] = (float) Math.max(clipLo, Math.min(clipHi, out[i]));
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return switch (type) {
            case UNIFORM -> "uniform noise U(" + a + ", " + b + ") added, clipped to [" + clipLo + ", " + clipHi + "]";
            case NORMAL -> "normal noise N(" + a + ", " + b + "²) added, clipped to [" + clipLo + ", " + clipHi + "]";
            case ZEROS -> "patch set to zero";
        };
    }
}
