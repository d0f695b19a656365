package io.oddball.detector.llr;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.eval.Metrics;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.pixelcnn.PixelCnn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The per-epoch trend of a likelihood-ratio fit: for each scored-weights snapshot {@code epoch-NNN.npy} that a fit
 * wrote with {@code -Doddball.llr.snapshots=DIR} (and for the saved detector itself), the AUROC of −LLR and of plain
 * likelihood (−log p_s) on in-distribution vs out-of-distribution test images. For reporting only: the fit never
 * sees the OOD set.
 *
 * <pre>
 * java -cp ... io.oddball.detector.llr.LlrEpochs SAVED_DETECTOR SNAPSHOT_DIR IN.gz OOD.gz [LIMIT]
 * </pre>
 */
public final class LlrEpochs {
    private LlrEpochs() {
    }

    public static void main(String[] args) throws IOException {
        Path saved = Path.of(args[0]);
        Path snapshots = Path.of(args[1]);
        Path in = Path.of(args[2]);
        Path ood = Path.of(args[3]);
        int limit = args.length > 4 ? Integer.parseInt(args[4]) : 10000;
        Oddball o = Oddball.create(List.of());
        DetectorContext ctx = DetectorContext.simple();
        try (Pipeline p = o.load(saved, ctx)) {
            LlrDetector d = (LlrDetector) p.detector();
            PixelCnn net = new PixelCnn(d.config().model(), d.inputShape());
            Batch a = read(o, in, limit);
            Batch b = read(o, ood, limit);
            System.out.printf(Locale.ROOT, "in %s (%d), ood %s (%d)%n", in, a.size(), ood, b.size());
            System.out.printf(Locale.ROOT, "%-16s %10s %16s %14s%n", "weights", "LLR AUROC", "likelihood AUROC",
                    "in bits/dim");
            List<Path> files;
            try (Stream<Path> s = Files.list(snapshots)) {
                files = s.filter(f -> f.getFileName().toString().matches("epoch-\\d+\\.npy")).sorted().toList();
            }
            for (Path f : files) {
                try (InferenceModel m = LlrGraphs.inference(net, LlrCheckpoint.readWeights(f, net), ctx)) {
                    row(f.getFileName().toString(), m, a, b);
                }
            }
        }
    }

    private static void row(String name, InferenceModel m, Batch in, Batch ood) {
        float[][] sa = score(m, in);
        float[][] sb = score(m, ood);
        System.out.printf(Locale.ROOT, "%-16s %10.4f %16.4f %14.4f%n", name, auroc(sa[0], sb[0]), auroc(sa[1], sb[1]),
                mean(sa[1]) / (784 * Math.log(2)));
    }

    /** Per instance: −LLR and −log p_s. */
    private static float[][] score(InferenceModel m, Batch b) {
        float[][] out = m.run(b.toArray(), b.size(), 256, LlrGraphs.FEATURE_SCORES, LlrGraphs.LOG_PROB_SEMANTIC);
        int f = b.featuresPerInstance();
        float[] llr = new float[b.size()];
        float[] lik = new float[b.size()];
        for (int i = 0; i < b.size(); i++) {
            double s1 = 0;
            double s2 = 0;
            for (int j = 0; j < f; j++) {
                s1 += out[0][i * f + j];
                s2 -= out[1][i * f + j];
            }
            llr[i] = (float) s1;
            lik[i] = (float) s2;
        }
        return new float[][] {llr, lik};
    }

    private static double auroc(float[] in, float[] ood) {
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
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static Batch read(Oddball o, Path file, int limit) {
        Dataset d = o.openData(file, null, Map.of("limit", limit));
        return d.readAll();
    }
}
