package io.oddball.bench;

import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.detector.llr.LlrDetector;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.tf.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How a likelihood-ratio fit's snapshots were selected, with in-distribution data only: the training images the fit
 * held out for validation ({@code fit.validationSplit}, drawn with {@code fit.seed}) against stand-in outliers made
 * from those same images — flipped upside down, turned by 90°, and cut into a 4 × 4 grid of patches shuffled — so the
 * stand-ins have the data's pixel statistics but not its shapes. For each snapshot {@code epoch-NNN.npy} that a fit
 * wrote into its {@code snapshotDir} ({@link LlrDetector#withSnapshot}), the AUROC of −LLR on held-out vs each
 * stand-in set. (Mutated images are no stand-in: the background model trains on them, so they rank the wrong way.)
 *
 * <pre>
 * java -cp ... io.oddball.bench.LlrProxies SAVED_DETECTOR SNAPSHOT_DIR TRAIN.gz SEED VALIDATION_SPLIT [LIMIT]
 * </pre>
 */
public final class LlrProxies {
    private LlrProxies() {
    }

    public static void main(String[] args) throws IOException {
        Path saved = Path.of(args[0]);
        Path snapshots = Path.of(args[1]);
        Path trainFile = Path.of(args[2]);
        long seed = Long.parseLong(args[3]);
        double split = Double.parseDouble(args[4]);
        int limit = args.length > 5 ? Integer.parseInt(args[5]) : 1000;
        Oddball o = Oddball.create(List.of());
        DetectorContext ctx = DetectorContext.simple();
        try (Pipeline p = o.load(saved, ctx)) {
            LlrDetector d = (LlrDetector) p.detector();
            Shape shape = d.inputShape();
            Batch train = o.openData(trainFile, null, Map.of()).readAll();
            float[] held = heldOut(train, seed, split, limit);
            int m = held.length / train.featuresPerInstance();
            Map<String, float[]> sets = standIns(held, m, shape);
            System.out.printf(Locale.ROOT, "%d held-out training images of %s (seed %d, validation split %s)%n", m,
                    trainFile, seed, split);
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-16s", "weights"));
            sets.keySet().forEach(k -> head.append(String.format(Locale.ROOT, " %14s", k)));
            System.out.println(head);
            for (Path file : LlrEpochs.snapshots(snapshots)) {
                try (LlrDetector epoch = d.withSnapshot(file)) {
                    float[] base = llr(epoch, held, m, shape);
                    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-16s",
                            file.getFileName()));
                    for (float[] s : sets.values()) {
                        row.append(String.format(Locale.ROOT, " %14.4f", LlrEpochs.auroc(base, llr(epoch, s, m,
                                shape))));
                    }
                    System.out.println(row);
                }
            }
        }
    }

    /**
     * Up to {@code limit} of the images of {@code train} that a fit with {@code seed} and {@code split} held out for
     * validation ({@link TrainingLoop#validationRows}), in that order.
     *
     * @throws IllegalArgumentException if the split holds none out
     */
    static float[] heldOut(Batch train, long seed, double split, int limit) {
        int[] rows = TrainingLoop.validationRows(train.size(), new FitOptions(1, 1, 1e-3, seed, split, 0));
        int m = Math.min(rows.length, limit);
        if (m == 0) {
            throw new IllegalArgumentException("VALIDATION_SPLIT: expected a split that holds images out, found "
                    + split);
        }
        int f = train.featuresPerInstance();
        float[] all = train.toArray();
        float[] held = new float[m * f];
        for (int i = 0; i < m; i++) {
            System.arraycopy(all, rows[i] * f, held, i * f, f);
        }
        return held;
    }

    /** Vertical flip, a quarter turn (square images) and a shuffle of a 4 × 4 grid of patches (sides divisible by 4). */
    static Map<String, float[]> standIns(float[] x, int m, Shape shape) {
        int h = (int) shape.dim(0);
        int w = (int) shape.dim(1);
        int c = shape.rank() > 2 ? (int) shape.dim(2) : 1;
        int f = h * w * c;
        Map<String, float[]> sets = new LinkedHashMap<>();
        float[] flip = new float[x.length];
        float[] rot = h == w ? new float[x.length] : null;
        float[] shuffled = h % 4 == 0 && w % 4 == 0 ? new float[x.length] : null;
        SplittableRandom r = new SplittableRandom(7);
        int ph = h / 4;
        int pw = w / 4;
        for (int i = 0; i < m; i++) {
            int[] perm = new int[16];
            for (int k = 0; k < 16; k++) {
                perm[k] = k;
            }
            for (int k = 15; k > 0; k--) {
                int j = r.nextInt(k + 1);
                int t = perm[k];
                perm[k] = perm[j];
                perm[j] = t;
            }
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        float v = x[i * f + (y * w + xx) * c + ch];
                        flip[i * f + ((h - 1 - y) * w + xx) * c + ch] = v;
                        if (rot != null) {
                            rot[i * f + (xx * w + (h - 1 - y)) * c + ch] = v;
                        }
                        if (shuffled != null) {
                            int q = perm[(y / ph) * 4 + xx / pw];
                            int ty = (q / 4) * ph + y % ph;
                            int tx = (q % 4) * pw + xx % pw;
                            shuffled[i * f + (ty * w + tx) * c + ch] = v;
                        }
                    }
                }
            }
        }
        sets.put("vflip", flip);
        if (rot != null) {
            sets.put("rot90", rot);
        }
        if (shuffled != null) {
            sets.put("patch-shuffle", shuffled);
        }
        return sets;
    }

    /** −LLR of each of the {@code m} images {@code x} (the instance score: the sum of the per-pixel ones). */
    private static float[] llr(LlrDetector d, float[] x, int m, Shape shape) {
        return d.score(Batch.wrap(x, shape.prepend(m), null)).instanceScores();
    }
}
