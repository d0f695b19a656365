package io.oddball.bench;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.detector.llr.LlrDetector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The per-image numbers every score of a likelihood-ratio detector is made of, for choosing a score on OOD proxies
 * (issue 22): for each image of each set, {@code log p_s(x)} and {@code log p_b(x)} in nats (the two PixelCNN++
 * models) and its lossless PNG code length in bytes. Sets: {@code val} (the training images the fit held out),
 * {@code train} (training images it trained on, for the typical-set statistics), the proxies of {@link LlrProxySets}
 * (made from {@code per} of the {@code val} images — the first with the default proxy seed 7, the next with 8 — or
 * generated with that seed), and, for reporting only, any {@code NAME=FILE} test sets given. One CSV line
 * per image: {@code set,index,log_p_s,log_p_b,png_bytes}.
 *
 * <pre>
 * java -cp ... io.oddball.bench.LlrScoreDump SAVED_DETECTOR TRAIN.gz SEED VALIDATION_SPLIT PER_SET OUT.csv
 *     [proxy-seed=N] [NAME=FILE ...]
 * </pre>
 */
public final class LlrScoreDump {
    private LlrScoreDump() {
    }

    public static void main(String[] args) throws IOException {
        SavedLlr.Validation v = SavedLlr.Validation.parse(args, 1);
        int per = Integer.parseInt(args[4]);
        Path out = Path.of(args[5]);
        try (SavedLlr saved = new SavedLlr(Path.of(args[0]));
                PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            LlrDetector d = saved.detector;
            Shape shape = d.inputShape();
            Batch train = saved.readAll(v.train());
            int[] rows = v.rows(train.size());
            int f = train.featuresPerInstance();
            float[] all = train.toArray();
            float[] held = pick(all, rows, Math.min(rows.length, 3 * per), f);
            boolean[] isHeld = new boolean[train.size()];
            for (int r : rows) {
                isHeld[r] = true;
            }
            int[] trained = new int[Math.min(5 * per, train.size() - rows.length)];
            for (int i = 0, k = 0; k < trained.length; i++) {
                if (!isHeld[i]) {
                    trained[k++] = i;
                }
            }
            Map<String, float[]> sets = new LinkedHashMap<>();
            sets.put("val", held);
            sets.put("train", pick(all, trained, trained.length, f));
            long proxySeed = 7;
            int from = 0;
            for (int i = 6; i < args.length; i++) {
                if (args[i].startsWith("proxy-seed=")) {
                    proxySeed = Long.parseLong(args[i].substring("proxy-seed=".length()));
                    from = (int) (proxySeed - 7) % 3 * per; // another seed, other held-out images
                }
            }
            float[] base = java.util.Arrays.copyOfRange(held, from * f, (from + per) * f);
            sets.putAll(LlrProxySets.make(base, per, shape, proxySeed));
            for (int i = 6; i < args.length; i++) {
                if (args[i].startsWith("proxy-seed=")) {
                    continue;
                }
                String[] kv = args[i].split("=", 2);
                Batch b = saved.readAll(Path.of(kv[1]));
                sets.put(kv[0], b.toArray());
            }
            montage(sets, shape, Path.of(out + ".png"));
            w.println("set,index,log_p_s,log_p_b,png_bytes");
            for (Map.Entry<String, float[]> e : sets.entrySet()) {
                float[] x = e.getValue();
                int n = x.length / f;
                long t0 = System.nanoTime();
                Batch b = Batch.wrap(x, shape.prepend(n), null);
                float[] ls = sums(d.logProb(b, true), n, f);
                float[] lb = sums(d.logProb(b, false), n, f);
                for (int i = 0; i < n; i++) {
                    int png = LlrProxySets.pngBytes(x, i, shape);
                    w.printf(Locale.ROOT, "%s,%d,%.4f,%.4f,%d%n", e.getKey(), i, ls[i], lb[i], png);
                }
                w.flush();
                System.out.printf(Locale.ROOT, "%-16s %6d images  %.1f s%n", e.getKey(), n,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** The first 12 images of every set, one row a set, as a PNG to look at. */
    private static void montage(Map<String, float[]> sets, Shape shape, Path file) throws IOException {
        int h = (int) shape.dim(0);
        int w = (int) shape.dim(1);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(12 * (w + 2), sets.size() * (h + 2),
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        int row = 0;
        for (float[] x : sets.values()) {
            for (int i = 0; i < 12 && (i + 1) * h * w <= x.length; i++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        int v = Math.max(0, Math.min(255, Math.round(x[i * h * w + y * w + xx])));
                        img.getRaster().setSample(i * (w + 2) + xx, row * (h + 2) + y, 0, v);
                    }
                }
            }
            row++;
        }
        javax.imageio.ImageIO.write(img, "png", file.toFile());
    }

    private static float[] pick(float[] all, int[] rows, int m, int f) {
        float[] x = new float[m * f];
        for (int i = 0; i < m; i++) {
            System.arraycopy(all, rows[i] * f, x, i * f, f);
        }
        return x;
    }

    private static float[] sums(float[] v, int n, int f) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            double t = 0;
            for (int j = 0; j < f; j++) {
                t += v[i * f + j];
            }
            s[i] = (float) t;
        }
        return s;
    }
}
