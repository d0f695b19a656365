package io.oddball.detector.llr;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Npy;
import io.oddball.api.data.Shape;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The instance scores the {@code llr} detector offers on the same two models (higher = more outlying), made of each
 * image's {@code log p_s(x)} and {@code log p_b(x)} (nats, semantic and background PixelCNN++) and its lossless PNG
 * code length:
 *
 * <ul>
 *   <li>{@value #LLR}: {@code −(log p_s − log p_b)}, the likelihood ratio of Ren et al. 2019 (nats);
 *   <li>{@value #LIKELIHOOD}: {@code −log p_s(x)} (nats);
 *   <li>{@value #COMPLEXITY}: the complexity-corrected likelihood S of Serrà et al. 2020,
 *       {@code −log₂ p_s(x) − L(x)} in bits per dimension, {@code L(x)} the PNG code length of the image (the JDK's
 *       writer at its strongest compression): a simple image (a flat background, a constant) is likely under any model
 *       and short as a PNG, so what is left is how much more the model needs than a generic compressor;
 *   <li>{@value #TYPICALITY}: {@code |−log p_s(x) − μ| / σ}, the distance of the likelihood from the typical set
 *       (Nalisnick et al. 2019, one image at a time), μ and σ from held-out training images ({@link Calibration});
 *   <li>{@value #COMBINED}: the three scores −LLR, S and typicality as three tests against the same held-out images:
 *       {@code −ln} of the smallest of their empirical tail probabilities {@code p_k = (1 + #{held-out ≥ s_k}) /
 *       (n + 1)}, so an image is flagged by whichever test it fails, each test on its own scale; plus
 *       {@value #TIE_BREAK} × the largest standardised score {@code (s_k − mean_k) / sd_k}, which orders the images
 *       that lie beyond every held-out image alike.
 * </ul>
 *
 * The default, {@value #COMBINED}, was chosen on out-of-distribution proxies only (bench/RESULTS.md, issue 22).
 */
public final class LlrScores {
    /** −LLR. */
    public static final String LLR = "llr";
    /** −log p_s(x). */
    public static final String LIKELIHOOD = "likelihood";
    /** Serrà's S. */
    public static final String COMPLEXITY = "complexity";
    /** Distance from the typical set. */
    public static final String TYPICALITY = "typicality";
    /** Largest standardised −LLR, S and typicality. */
    public static final String COMBINED = "combined";
    /** Every score, the default first. */
    public static final List<String> NAMES = List.of(COMBINED, LLR, LIKELIHOOD, COMPLEXITY, TYPICALITY);
    /** The scores that need {@link Calibration}. */
    static final List<String> CALIBRATED = List.of(TYPICALITY, COMBINED);
    /** Most held-out images the calibration scores. */
    static final int CALIBRATION_IMAGES = 3000;
    /** Weight of the largest standardised score in {@value #COMBINED}. */
    static final double TIE_BREAK = 1e-3;

    private LlrScores() {
    }

    /**
     * Statistics of held-out training images that the typicality and combined scores are relative to: mean and
     * standard deviation of {@code −log p_s}, −LLR, S and typicality over {@code images} images, and the three scores
     * of every image, each sorted ({@code sorted[0]} −LLR, {@code [1]} S, {@code [2]} typicality), for the tail
     * probabilities of {@value #COMBINED}.
     */
    public record Calibration(int images, double nllMean, double nllSd, double llrMean, double llrSd,
            double complexityMean, double complexitySd, double typicalityMean, double typicalitySd,
            float[][] sorted) {
        /** The statistics of {@code n} images' parts. */
        static Calibration of(Parts p) {
            int n = p.size();
            double[] nll = new double[n];
            for (int i = 0; i < n; i++) {
                nll[i] = -p.logPs()[i];
            }
            double nm = mean(nll);
            double ns = sd(nll, nm);
            double[] llr = new double[n];
            double[] s = new double[n];
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                llr[i] = p.llr(i);
                s[i] = p.complexity(i);
                t[i] = Math.abs(nll[i] - nm) / ns; // typicality(), with these statistics
            }
            double lm = mean(llr);
            double sm = mean(s);
            double tm = mean(t);
            return new Calibration(n, nm, ns, lm, sd(llr, lm), sm, sd(s, sm), tm, sd(t, tm),
                    new float[][] {sorted(llr), sorted(s), sorted(t)});
        }

        private static float[] sorted(double[] v) {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
            }
            java.util.Arrays.sort(f);
            return f;
        }

        /**
         * {@code −ln} of the empirical upper-tail probability of {@code v} among the held-out values of score
         * {@code k}: {@code (1 + #{values ≥ v}) / (n + 1)}.
         */
        double tail(int k, double v) {
            float[] a = sorted[k];
            int lo = 0;
            int hi = a.length;
            while (lo < hi) { // the first index whose value is >= v
                int mid = (lo + hi) >>> 1;
                if (a[mid] < v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return -Math.log((1.0 + a.length - lo) / (a.length + 1.0));
        }

        /** The {@value #COMBINED} score of an image's −LLR, S and typicality. */
        double combined(double llr, double complexity, double typicality) {
            double z = Math.max((llr - llrMean) / llrSd, Math.max((complexity - complexityMean) / complexitySd,
                    (typicality - typicalityMean) / typicalitySd));
            double t = Math.max(tail(0, llr), Math.max(tail(1, complexity), tail(2, typicality)));
            return t + TIE_BREAK * z;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d images: -log p %.1f +- %.1f, -LLR %.1f +- %.1f, S %.3f "
                    + "+- %.3f, typicality %.3f +- %.3f", images, nllMean, nllSd, llrMean, llrSd, complexityMean,
                    complexitySd, typicalityMean, typicalitySd);
        }

        double typicality(double logPs) {
            return Math.abs(-logPs - nllMean) / nllSd;
        }

        /** The held-out scores as float32 {@code [3, images]} ({@code calibration.npy} of a saved detector). */
        public void writeHeldOutScores(Path file) {
            float[] all = new float[3 * images];
            for (int k = 0; k < 3; k++) {
                System.arraycopy(sorted[k], 0, all, k * images, images);
            }
            Npy.write(file, new int[] {3, images}, all);
        }

        /** As properties (keys prefixed {@code calibration.}; {@code llr.properties} of a saved detector). */
        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("calibration.images", String.valueOf(images));
            m.put("calibration.nllMean", String.valueOf(nllMean));
            m.put("calibration.nllSd", String.valueOf(nllSd));
            m.put("calibration.llrMean", String.valueOf(llrMean));
            m.put("calibration.llrSd", String.valueOf(llrSd));
            m.put("calibration.complexityMean", String.valueOf(complexityMean));
            m.put("calibration.complexitySd", String.valueOf(complexitySd));
            m.put("calibration.typicalityMean", String.valueOf(typicalityMean));
            m.put("calibration.typicalitySd", String.valueOf(typicalitySd));
            return m;
        }

        /**
         * Whether every statistic is finite, every deviation positive, and the held-out scores finite, sorted and
         * {@code images} of each (what a load checks).
         */
        boolean valid() {
            if (sorted == null || sorted.length != 3) {
                return false;
            }
            for (float[] a : sorted) {
                if (a == null || a.length != images) {
                    return false;
                }
                for (int i = 0; i < a.length; i++) {
                    if (!Float.isFinite(a[i]) || (i > 0 && a[i] < a[i - 1])) {
                        return false;
                    }
                }
            }
            double[] sds = {nllSd, llrSd, complexitySd, typicalitySd};
            double[] means = {nllMean, llrMean, complexityMean, typicalityMean};
            for (int i = 0; i < 4; i++) {
                if (!(sds[i] > 0 && Double.isFinite(sds[i]) && Double.isFinite(means[i]))) {
                    return false;
                }
            }
            return images > 1;
        }
    }

    /**
     * What every score of {@code size()} images is made of.
     *
     * @param logPs {@code log p_s(x)} per image (nats)
     * @param negLlr {@code −(log p_s(x) − log p_b(x))} per image (nats), the sum of the feature scores
     * @param pngBits PNG code length per image (bits), or null where no score needs it yet
     * @param dims values per image
     */
    record Parts(float[] logPs, float[] negLlr, long[] pngBits, int dims) {
        int size() {
            return logPs.length;
        }

        double llr(int i) {
            return negLlr[i];
        }

        double complexity(int i) {
            return (-logPs[i] / Math.log(2) - pngBits[i]) / dims;
        }
    }

    /** The scores named {@code name} of every image of {@code p} ({@code c} may be null for uncalibrated scores). */
    static float[] scores(String name, Parts p, Calibration c) {
        int n = p.size();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double v = switch (name) {
                case LLR -> p.llr(i);
                case LIKELIHOOD -> -p.logPs()[i];
                case COMPLEXITY -> p.complexity(i);
                case TYPICALITY -> requireNonNull(c, "calibration").typicality(p.logPs()[i]);
                case COMBINED -> c.combined(p.llr(i), p.complexity(i), c.typicality(p.logPs()[i]));
                default -> throw new IllegalArgumentException("llr: unknown score '" + name + "'");
            };
            out[i] = (float) v;
        }
        return out;
    }

    /** Whether score {@code name} needs the PNG code lengths. */
    static boolean needsPng(String name) {
        return name.equals(COMPLEXITY) || name.equals(COMBINED);
    }

    /**
     * The PNG code length in bits of each of the {@code n} images of {@code x} (8-bit values, {@code instance} =
     * H×W×C, row-major): one channel as a gray image, three as RGB, four as RGBA, any other count as a gray image of
     * {@code H} rows of {@code W·C} values.
     */
    static long[] pngBits(float[] x, int n, Shape instance) {
        int h = (int) instance.dim(0);
        int w = (int) instance.dim(1);
        int c = instance.rank() > 2 ? (int) instance.dim(2) : 1;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = 8L * pngBytes(x, i * h * w * c, h, w, c);
        }
        return out;
    }

    private static int pngBytes(float[] x, int at, int h, int w, int c) {
        BufferedImage img;
        if (c == 1 || (c != 3 && c != 4)) {
            img = new BufferedImage(w * c, h, BufferedImage.TYPE_BYTE_GRAY);
        } else {
            img = new BufferedImage(w, h, c == 3 ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_4BYTE_ABGR);
        }
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int p = 0; p < h * w; p++) {
            for (int ch = 0; ch < c; ch++) {
                // BGR / ABGR layouts store the channels reversed
                int to = c == 3 || c == 4 ? p * c + (c - 1 - ch) : p * c + ch;
                px[to] = (byte) Math.max(0, Math.min(255, Math.round(x[at + p * c + ch])));
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + h * w * c);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0f); // the strongest deflate level
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("llr: cannot encode an image as PNG in memory", e);
        } finally {
            writer.dispose();
        }
        return bytes.size();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    private static double sd(double[] v, double mean) {
        double s = 0;
        for (double d : v) {
            s += (d - mean) * (d - mean);
        }
        return Math.sqrt(s / Math.max(1, v.length - 1));
    }
}
