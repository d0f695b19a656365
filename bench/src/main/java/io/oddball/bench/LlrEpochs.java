package io.oddball.bench;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.detector.llr.LlrDetector;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.eval.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The per-epoch trend of a likelihood-ratio fit: for each weight snapshot {@code epoch-NNN.npy} that a fit wrote into
 * its {@code snapshotDir} (a key of the {@code llr} detector), scored through the saved detector
 * ({@link LlrDetector#withSnapshot}), the AUROC of −LLR and of plain likelihood (−log p_s) on in-distribution vs
 * out-of-distribution test images. For reporting only: the fit never sees the OOD set. Two more columns split the
 * ratio by pixel: the AUROC of −LLR summed over the non-zero pixels only, and the mean ratio {@code log p_s − log p_b}
 * of a zero pixel of the in-distribution images — with mutation rate μ a pixel both models predict well gets about
 * {@code −log(1 − μ)} whatever the image, so images with many black pixels look more normal.
 *
 * <pre>
 * java -cp ... io.oddball.bench.LlrEpochs SAVED_DETECTOR SNAPSHOT_DIR IN.gz OOD.gz [LIMIT]
 * </pre>
 */
public final class LlrEpochs {
    private LlrEpochs() {
    }

    public static void main(String[] args) throws IOException {
        Path snapshots = Path.of(args[1]);
        Path in = Path.of(args[2]);
        Path ood = Path.of(args[3]);
        int limit = args.length > 4 ? Integer.parseInt(args[4]) : 10000;
        try (SavedLlr saved = new SavedLlr(Path.of(args[0]))) {
            LlrDetector d = saved.detector;
            Batch a = read(saved.oddball, in, limit);
            Batch b = read(saved.oddball, ood, limit);
            System.out.printf(Locale.ROOT, "in %s (%d), ood %s (%d)%n", in, a.size(), ood, b.size());
            System.out.printf(Locale.ROOT, "%-16s %10s %16s %14s %20s %18s%n", "weights", "LLR AUROC",
                    "likelihood AUROC", "in bits/dim", "non-zero LLR AUROC", "zero-pixel LLR");
            for (Path f : snapshots(snapshots)) {
                try (LlrDetector epoch = d.withSnapshot(f)) {
                    row(f.getFileName().toString(), epoch, a, b);
                }
            }
        }
    }

    private static void row(String name, LlrDetector d, Batch in, Batch ood) {
        float[][] sa = score(d, in);
        float[][] sb = score(d, ood);
        System.out.printf(Locale.ROOT, "%-16s %10.4f %16.4f %14.4f %20.4f %18.4f%n", name, auroc(sa[0], sb[0]),
                auroc(sa[1], sb[1]), mean(sa[1]) / (in.featuresPerInstance() * Math.log(2)), auroc(sa[2], sb[2]),
                -sum(sa[3]) / sum(sa[4]));
    }

    /**
     * Per instance: −LLR, −log p_s, −LLR over the non-zero pixels, −LLR over the zero pixels, the number of zero
     * pixels (the feature scores are −LLR per pixel; the likelihood comes from the same run).
     */
    private static float[][] score(LlrDetector d, Batch b) {
        float[] x = b.toArray();
        float[] fs = d.score(b).featureScores();
        float[] likelihood = d.alternativeScores(b).get(LlrDetector.LIKELIHOOD);
        int f = b.featuresPerInstance();
        float[][] r = new float[5][b.size()];
        for (int i = 0; i < b.size(); i++) {
            double llr = 0;
            double nonZero = 0;
            double zero = 0;
            int zeros = 0;
            for (int j = 0; j < f; j++) {
                float v = fs[i * f + j];
                llr += v;
                if (x[i * f + j] == 0) {
                    zero += v;
                    zeros++;
                } else {
                    nonZero += v;
                }
            }
            r[0][i] = (float) llr;
            r[1][i] = likelihood[i];
            r[2][i] = (float) nonZero;
            r[3][i] = (float) zero;
            r[4][i] = zeros;
        }
        return r;
    }

    /** The snapshots {@code epoch-NNN.npy} of a fit in {@code dir}, in epoch order. */
    static List<Path> snapshots(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().matches("epoch-\\d+\\.npy")).sorted().toList();
        }
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }

    /** AUROC of scores of in-distribution ({@code in}) against outlying ({@code ood}) instances. */
    static double auroc(float[] in, float[] ood) {
        float[] s = new float[in.length + ood.length];
        int[] labels = new int[s.length];
        System.arraycopy(in, 0, s, 0, in.length);
        System.arraycopy(ood, 0, s, in.length, ood.length);
        for (int i = in.length; i < s.length; i++) {
            labels[i] = 1;
        }
        return Metrics.auroc(s, labels);
    }

    private static double mean(float[] v) {
        return sum(v) / v.length;
    }

    private static Batch read(Oddball o, Path file, int limit) {
        Dataset d = o.openData(file, null, Map.of("limit", limit));
        return d.readAll();
    }
}
