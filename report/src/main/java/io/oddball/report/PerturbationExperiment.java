package io.oddball.report;

import io.oddball.api.DetectorContext;
import io.oddball.api.Progress;
import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.api.error.OddballException;
import io.oddball.api.result.Scores;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.scoring.TopPercentScorer;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import org.knowm.xchart.XYChart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alibi Detect's perturbation experiment ({@code od_ae_cifar10} example): masks of growing size ({@link MaskNoise},
 * Alibi's {@code apply_mask}) are applied to the first {@code nImages} images of a data set, {@code nMasks} random
 * masks per image and size, in the detector's input space (after the pipeline's preprocessing, where Alibi's noise
 * and clip ranges live); every copy is scored. The result is the mean instance score per mask size and, for each
 * {@code outlierPerc} of the sweep, the share of copies flagged ({@code score > threshold}) when the instance score is
 * the mean of the top {@code outlierPerc} % feature scores (Alibi's {@code predict(outlier_perc=...)}) — detectors
 * without feature scores get one row with the pipeline's own instance score. Deterministic for a seed. Stateless.
 */
public final class PerturbationExperiment {
    private static final Logger LOG = LoggerFactory.getLogger(PerturbationExperiment.class);
    /** Name of the flagged-share series of detectors without feature scores. */
    public static final String INSTANCE_SCORE = "instance score";

    static {
        Charts.headless();
    }

    /**
     * The experiment's settings.
     *
     * @param sizes mask sizes, in order
     * @param nMasks random masks per image and size (Alibi's {@code n_masks})
     * @param nImages how many images of the data, from the first
     * @param noise what a mask does to the pixels it covers
     * @param seed seed of every random draw
     * @param outlierPercs the {@code outlierPerc} values of the sweep, each in (0, 100]
     * @param batchSize most copies scored at once
     */
    public record Options(List<MaskNoise.Size> sizes, int nMasks, int nImages, MaskNoise noise, long seed,
            double[] outlierPercs, int batchSize) {
        public Options {
            sizes = List.copyOf(sizes);
            outlierPercs = outlierPercs.clone();
            Objects.requireNonNull(noise, "noise is null");
            if (sizes.isEmpty()) {
                throw new ConfigException("--mask-sizes: expected at least one size, found none");
            }
            if (nMasks < 1) {
                throw new ConfigException("--n-masks: expected an integer >= 1, found " + nMasks);
            }
            if (nImages < 1) {
                throw new ConfigException("--n-images: expected an integer >= 1, found " + nImages);
            }
            if (batchSize < 1) {
                throw new ConfigException("--batch-size: expected an integer >= 1, found " + batchSize);
            }
            for (double p : outlierPercs) {
                if (!(p > 0 && p <= 100)) {
                    throw new ConfigException("--outlier-perc: expected percentages in (0, 100], found " + p);
                }
            }
        }

        /** Alibi's example: sizes 2, 4, ..., 20, 10 masks, 50 images, U(0, 1) noise clipped to [0, 1], seed 0. */
        public static Options defaults() {
            List<MaskNoise.Size> s = new ArrayList<>();
            for (int i = 2; i <= 20; i += 2) {
                s.add(new MaskNoise.Size(i, i));
            }
            return new Options(s, 10, 50, new MaskNoise(MaskNoise.Type.UNIFORM, 0, 1, 0, 1), 0,
                    new double[] {50, 75, 90, 100}, 256);
        }
    }

    /**
     * What the experiment measured.
     *
     * @param sizes the mask sizes, in order
     * @param baseline mean instance score of the unperturbed images
     * @param meanScores mean instance score of the perturbed copies, per size
     * @param flagged share of copies flagged per size, by series ({@code outlierPerc 75}, ...)
     * @param threshold the detector's threshold
     * @param images how many images were perturbed
     * @param options the settings
     * @param example the first image with the first mask of every size (detector input space), null if not drawn
     */
    public record Result(List<MaskNoise.Size> sizes, double baseline, double[] meanScores,
            Map<String, double[]> flagged, double threshold, int images, Options options, BufferedImage example) {
        /** The table as CSV: {@code mask_size,mean_score,flagged_<series>...}, one row per size. */
        public String toCsv() {
            StringBuilder b = new StringBuilder("mask_size,mean_score");
            flagged.keySet().forEach(k -> b.append(",flagged_").append(k.replace(' ', '_')));
            b.append('\n');
            for (int i = 0; i < sizes.size(); i++) {
                b.append(sizes.get(i)).append(',').append(Format.number(meanScores[i]));
                for (double[] v : flagged.values()) {
                    b.append(',').append(Format.number(v[i]));
                }
                b.append('\n');
            }
            return b.toString();
        }
    }

    /** Runs the experiment on the first {@code options.nImages()} images of {@code data}. */
    public Result run(Pipeline pipeline, Dataset data, Options options, BooleanSupplier stop) {
        return run(pipeline, data, options, stop, total -> Progress.NONE);
    }

    /**
     * As {@link #run(Pipeline, Dataset, Options, BooleanSupplier)}, stopping when {@code context} asks and showing the
     * progress of the scoring (masked copies scored against their total).
     */
    public Result run(Pipeline pipeline, Dataset data, Options options, DetectorContext context) {
        return run(pipeline, data, options, context::stopRequested,
                total -> RuntimeContext.scoring(context, "perturb", total));
    }

    private Result run(Pipeline pipeline, Dataset data, Options options, BooleanSupplier stop,
            LongFunction<Progress> progressOf) {
        Shape shape = data.instanceShape();
        if (!ImageTiles.isImage(shape)) {
            throw new DataException(data.name() + ": expected images (HxW or HxWxC with 1 or 3 channels) to mask, "
                    + "found instances of shape " + shape);
        }
        options.sizes().forEach(s -> s.check(shape));
        Batch raw = firstImages(data, options.nImages());
        Batch x = pipeline.preprocessor().apply(raw);
        int n = x.size();
        int f = x.featuresPerInstance();
        double threshold = pipeline.threshold();
        double baseline = mean(pipeline.scorePreprocessed(x, null).instanceScores());
        Random random = new Random(options.seed());
        double[] means = new double[options.sizes().size()];
        Map<String, double[]> flagged = new LinkedHashMap<>();
        List<TopPercentScorer> scorers = new ArrayList<>();
        boolean features = pipeline.detector().hasFeatureScores();
        if (features) {
            for (double p : options.outlierPercs()) {
                scorers.add(new TopPercentScorer(p));
                flagged.put("outlierPerc " + Format.number(p), new double[means.length]);
            }
        } else {
            flagged.put(INSTANCE_SCORE, new double[means.length]);
        }
        List<BufferedImage> examples = new ArrayList<>();
        float[] all = x.toArray();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < f; i++) {
            lo = Math.min(lo, all[i]);
            hi = Math.max(hi, all[i]);
        }
        int copies = options.nMasks() * n;
        try (Progress progress = progressOf.apply((long) copies * means.length)) {
            scoreMasked(pipeline, options, x, shape, random, means, flagged, scorers, examples, lo, hi, stop,
                    progress);
        }
        BufferedImage example = exampleStrip(examples, options.sizes());
        return new Result(options.sizes(), baseline, means, flagged, threshold, n, options, example);
    }

    /** Scores every masked copy of every size, filling {@code means}, {@code flagged} and {@code examples}. */
    private static void scoreMasked(Pipeline pipeline, Options options, Batch x, Shape shape, Random random,
            double[] means, Map<String, double[]> flagged, List<TopPercentScorer> scorers,
            List<BufferedImage> examples, double lo, double hi, BooleanSupplier stop, Progress progress) {
        int n = x.size();
        int f = x.featuresPerInstance();
        float[] all = x.toArray();
        double threshold = pipeline.threshold();
        boolean features = pipeline.detector().hasFeatureScores();
        int copies = options.nMasks() * n;
        for (int s = 0; s < means.length; s++) {
            MaskNoise.Size size = options.sizes().get(s);
            float[] masked = new float[copies * f];
            for (int i = 0; i < n; i++) {
                float[] img = Arrays.copyOfRange(all, i * f, (i + 1) * f);
                float[] m = options.noise().apply(img, shape, size, options.nMasks(), random);
                System.arraycopy(m, 0, masked, i * options.nMasks() * f, m.length);
            }
            examples.add(ImageTiles.picture(Arrays.copyOf(masked, f), shape, lo, hi, ImageTiles.scaleFor(shape)));
            double sum = 0;
            long[] counts = new long[flagged.size()];
            for (int at = 0; at < copies; at += options.batchSize()) {
                if (stop.getAsBoolean()) {
                    throw new OddballException("perturb: stopped by the user; nothing was written");
                }
                int m = Math.min(options.batchSize(), copies - at);
                Batch b = Batch.wrap(Arrays.copyOfRange(masked, at * f, (at + m) * f), shape.prepend(m), null);
                Scores sc = pipeline.scorePreprocessed(b, null);
                float[] main = sc.instanceScores();
                for (float v : main) {
                    sum += v;
                }
                if (features) {
                    float[] fs = sc.featureScores();
                    for (int k = 0; k < scorers.size(); k++) {
                        counts[k] += above(scorers.get(k).instanceScores(fs, m, f), threshold);
                    }
                } else {
                    counts[0] += above(main, threshold);
                }
                progress.step(m);
            }
            means[s] = sum / copies;
            int k = 0;
            for (double[] v : flagged.values()) {
                v[s] = (double) counts[k++] / copies;
            }
            LOG.info("perturb: mask {}: mean score {}", size, Format.number(means[s]));
        }
    }

    private static BufferedImage exampleStrip(List<BufferedImage> images, List<MaskNoise.Size> sizes) {
        List<ImageTiles.Cell> cells = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            cells.add(new ImageTiles.Cell("mask " + sizes.get(i), List.of(images.get(i)), List.of("")));
        }
        return ImageTiles.grid(cells, 1120);
    }

    private static int above(float[] scores, double threshold) {
        int c = 0;
        for (float v : scores) {
            if (v > threshold) {
                c++;
            }
        }
        return c;
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static Batch firstImages(Dataset data, int n) {
        List<Batch> parts = new ArrayList<>();
        int have = 0;
        try (BatchIterator it = data.batches(Math.min(n, 1024))) {
            while (it.hasNext() && have < n) {
                Batch b = it.next();
                Batch part = b.size() > n - have ? b.slice(0, n - have) : b;
                parts.add(part);
                have += part.size();
            }
        }
        if (have == 0) {
            throw new DataException(data.name() + ": expected at least one image, found none");
        }
        Shape shape = data.instanceShape();
        int f = (int) shape.size();
        float[] v = new float[have * f];
        int at = 0;
        for (Batch b : parts) {
            float[] a = b.toArray();
            System.arraycopy(a, 0, v, at, a.length);
            at += a.length;
        }
        return Batch.wrap(v, shape.prepend(have), null);
    }

    /**
     * Writes the result: CSV when {@code out} ends in {@code .csv}, otherwise one self-contained HTML page with the
     * table, a chart of mean score against mask size, a chart of the flagged share per {@code outlierPerc}, and one
     * image with a mask of each size. With {@code pngDir}, the charts are written as PNG files too.
     *
     * @return the PNG files written
     */
    public List<Path> write(Result r, String detectorName, String dataName, Path out, Path pngDir,
            Charts.Size size) {
        Map<String, byte[]> pngs = new LinkedHashMap<>();
        double[] xs = new double[r.sizes().size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = r.sizes().get(i).height();
        }
        double[] base = new double[xs.length];
        Arrays.fill(base, r.baseline());
        Map<String, double[]> meanSeries = new LinkedHashMap<>();
        meanSeries.put("mean instance score", r.meanScores());
        meanSeries.put("unperturbed", base);
        XYChart meanChart = Charts.lines("Mean instance score vs mask size", "mask size (pixels per side)",
                "mean instance score", xs, meanSeries, size);
        XYChart flaggedChart = Charts.lines("Share flagged vs mask size", "mask size (pixels per side)",
                "share of copies flagged", xs, r.flagged(), size);
        flaggedChart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        pngs.put("perturb-mean-score", Charts.png(meanChart));
        pngs.put("perturb-flagged", Charts.png(flaggedChart));
        byte[] example = r.example() == null ? null : ImageTiles.png(r.example());
        if (example != null) {
            pngs.put("perturb-masks", example);
        }
        List<Path> files = new ArrayList<>();
        if (pngDir != null) {
            pngs.forEach((name, png) -> {
                Path f = pngDir.resolve(name + ".png");
                ReportFiles.write(f, png);
                files.add(f);
            });
        }
        if (out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
            ReportFiles.write(out, r.toCsv().getBytes(StandardCharsets.UTF_8));
            return files;
        }
        Options o = r.options();
        Html html = new Html("Oddball perturbation experiment: " + detectorName + " detector");
        html.paragraph("sub", r.images() + " images of " + io.oddball.runtime.output.DisplayPath.of(dataName) + ", " + o.nMasks() + " masks per image and "
                + "size (" + o.noise() + ", Alibi's apply_mask), seed " + o.seed() + "; threshold "
                + Format.number(r.threshold()) + "; mean score of the unperturbed images "
                + Format.number(r.baseline()) + ".");
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("mask size", "mean score"));
        r.flagged().keySet().forEach(k -> header.add("flagged, " + k));
        rows.add(header);
        for (int i = 0; i < xs.length; i++) {
            List<String> row = new ArrayList<>(List.of(r.sizes().get(i).toString(), Format.number(r.meanScores()[i])));
            for (double[] v : r.flagged().values()) {
                row.add(String.format(java.util.Locale.ROOT, "%.1f %%", 100 * v[i]));
            }
            rows.add(row);
        }
        html.section("table", "Score per mask size").table("perturb-table", rows).endSection();
        html.section("mean-score", "Mean instance score vs mask size")
                .image(pngs.get("perturb-mean-score"), "mean score vs mask size", size.width(), size.height())
                .endSection();
        html.section("flagged", "Share flagged vs mask size")
                .paragraph("sub", r.flagged().containsKey(INSTANCE_SCORE) ? "The detector has no feature scores, "
                        + "so there is no outlierPerc sweep: its own instance score is used."
                        : "Instance score = mean of the top outlierPerc % feature scores; flagged = score > "
                        + "threshold.")
                .image(pngs.get("perturb-flagged"), "share flagged vs mask size", size.width(), size.height())
                .endSection();
        if (example != null) {
            html.section("masks", "The first image with a mask of each size")
                    .image(example, "masked examples", r.example().getWidth(), r.example().getHeight()).endSection();
        }
        ReportFiles.write(out, html.finish().getBytes(StandardCharsets.UTF_8));
        return files;
    }
}
