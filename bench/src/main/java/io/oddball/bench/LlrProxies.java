package io.oddball.bench;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.detector.llr.LlrDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        Path snapshots = Path.of(args[1]);
        SavedLlr.Validation v = SavedLlr.Validation.parse(args, 2);
        int limit = args.length > 5 ? Integer.parseInt(args[5]) : 1000;
        try (SavedLlr saved = new SavedLlr(Path.of(args[0]))) {
            LlrDetector d = saved.detector;
            Shape shape = d.inputShape();
            Batch train = saved.readAll(v.train());
            float[] held = v.heldOut(train, limit);
            int m = held.length / train.featuresPerInstance();
            Map<String, float[]> sets = standIns(held, m, shape);
            System.out.printf(Locale.ROOT, "%d held-out training images of %s (seed %d, validation split %s)%n", m,
                    v.train(), v.seed(), v.split());
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
