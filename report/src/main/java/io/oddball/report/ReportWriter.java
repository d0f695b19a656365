package io.oddball.report;

import io.oddball.api.AlternativeScores;
import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.FeatureMaps;
import io.oddball.api.Progress;
import io.oddball.api.Reconstructor;
import io.oddball.api.Sampler;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.OddballException;
import io.oddball.api.result.Scores;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.eval.ConfusionMatrix;
import io.oddball.runtime.eval.Curve;
import io.oddball.runtime.eval.Evaluation;
import io.oddball.runtime.eval.EvaluationResult;
import io.oddball.runtime.eval.Metrics;
import io.oddball.runtime.eval.ScoreCounts;
import io.oddball.runtime.output.DisplayPath;
import io.oddball.runtime.pipeline.Evaluator;
import io.oddball.runtime.pipeline.Pipeline;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.knowm.xchart.XYChart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code oddball report}: scores normal data and outliers with a fitted pipeline and writes one self-contained HTML
 * report (inline CSS, charts as embedded PNGs, no external links) with the metrics, Alibi's instance-score plot, score
 * histograms, ROC and precision-recall curves (every score column of the detector on one chart, see
 * {@link AlternativeScores}) and, for image data, the top outliers with their reconstruction ({@link Reconstructor})
 * and feature-score heat map where the detector has them. Detectors with per-value maps ({@link FeatureMaps}) get
 * the maps of the top outliers, and detectors that sample ({@link Sampler}) a small grid of samples of their first
 * model (images up to {@value #MAX_SAMPLE_SIDE}×{@value #MAX_SAMPLE_SIDE} only). Optionally each chart is also
 * written as a PNG file. Stateless; one instance serves many reports.
 */
public final class ReportWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);
    /** The main score column's name on the curve charts. */
    public static final String MAIN_SCORE = "instance score";
    /** Section ids of a complete report, in page order. */
    public static final List<String> SECTIONS = List.of("metrics", "instance-scores", "histogram", "roc",
            "precision-recall", "outliers");
    /**
     * Sections after {@link #SECTIONS} for detectors that offer them: {@code maps} ({@link FeatureMaps}, image data)
     * and {@code samples} ({@link Sampler}, images up to {@value #MAX_SAMPLE_SIDE} pixels high and wide).
     */
    public static final List<String> CAPABILITY_SECTIONS = List.of("maps", "samples");
    /** Largest image side the report draws samples of (sampling takes one model run per pixel). */
    public static final int MAX_SAMPLE_SIDE = 32;
    /** How many top outliers the maps section shows at most. */
    private static final int MAX_MAP_ROWS = 8;
    private static final int HISTOGRAM_BINS = 40;
    /** Widest outlier grid in pixels (the page is at most 1180 wide). */
    private static final int GRID_WIDTH = 1120;

    static {
        Charts.headless();
    }

    /**
     * What to put in a report.
     *
     * @param top how many top outliers to show as images (0 for none)
     * @param pngDir where to write each chart as a PNG too; null for nowhere
     * @param batchSize instances per scoring batch
     * @param chartSize the charts' size in pixels
     * @param samples how many instances a {@link Sampler} detector draws for the samples section (0 for none)
     */
    public record Options(int top, Path pngDir, int batchSize, Charts.Size chartSize, int samples) {
        public Options {
            if (top < 0) {
                throw new IllegalArgumentException("top: expected an integer >= 0, found " + top);
            }
            if (samples < 0) {
                throw new IllegalArgumentException("samples: expected an integer >= 0, found " + samples);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize: expected an integer >= 1, found " + batchSize);
            }
            Objects.requireNonNull(chartSize, "chartSize is null");
        }

        /** Options without samples (the record before {@code samples} was added). */
        public Options(int top, Path pngDir, int batchSize, Charts.Size chartSize) {
            this(top, pngDir, batchSize, chartSize, 8);
        }

        /** 12 top outliers, no PNG files, batches of 256, default chart size, 8 samples. */
        public static Options defaults() {
            return new Options(12, null, 256, Charts.Size.DEFAULT, 8);
        }

        public Options withPngDir(Path dir) {
            return new Options(top, dir, batchSize, chartSize, samples);
        }

        public Options withTop(int n) {
            return new Options(n, pngDir, batchSize, chartSize, samples);
        }

        public Options withBatchSize(int n) {
            return new Options(top, pngDir, n, chartSize, samples);
        }

        public Options withSamples(int n) {
            return new Options(top, pngDir, batchSize, chartSize, n);
        }
    }

    /**
     * A written report.
     *
     * @param evaluation the metrics and the instance scores of both sets
     * @param sections ids of the sections shown with content, in page order
     * @param notes one line for each section left out or shortened, saying why
     * @param pngs the PNG files written (empty without a PNG folder)
     */
    public record Report(EvaluationResult evaluation, List<String> sections, List<String> notes, List<Path> pngs) {
    }

    /**
     * Scores {@code in} (normal, label 0) and {@code ood} (outliers, label 1) with {@code pipeline} (streamed in
     * batches; only scores and the top outliers' values are kept) and writes the report to {@code out} atomically.
     *
     * @param stop polled between batches; when it turns true the report is abandoned and nothing is written
     */
    public Report write(Pipeline pipeline, Dataset in, Dataset ood, Options options, Path out, BooleanSupplier stop) {
        return write(pipeline, in, ood, options, out, stop, Progress.NONE);
    }

    /**
     * As {@link #write(Pipeline, Dataset, Dataset, Options, Path, BooleanSupplier)}, stopping when {@code context}
     * asks and showing the progress of the scoring (instances of both sets against their total).
     */
    public Report write(Pipeline pipeline, Dataset in, Dataset ood, Options options, Path out,
            DetectorContext context) {
        try (Progress progress = RuntimeContext.scoring(context, "report", RuntimeContext.total(in, ood))) {
            return write(pipeline, in, ood, options, out, context::stopRequested, progress);
        }
    }

    private Report write(Pipeline pipeline, Dataset in, Dataset ood, Options options, Path out, BooleanSupplier stop,
            Progress progress) {
        Objects.requireNonNull(pipeline, "pipeline is null");
        Objects.requireNonNull(out, "out is null");
        Detector detector = pipeline.detector();
        boolean images = options.top() > 0 && ImageTiles.isImage(in.instanceShape())
                && in.instanceShape().equals(ood.instanceShape());
        ScoreColumns columns = new ScoreColumns();
        TopOutliers top = new TopOutliers(images ? options.top() : 0);
        for (int label = 0; label < 2; label++) {
            Dataset d = label == 0 ? in : ood;
            int l = label;
            pipeline.scoreStream(d, options.batchSize(), stop, progress, sb -> {
                float[] s = sb.instanceScores();
                Map<String, float[]> alt = detector instanceof AlternativeScores a
                        ? a.alternativeScores(pipeline.preprocessor().apply(sb.batch())) : Map.of();
                columns.add(l, s, alt);
                top.offer(sb.batch(), s, l, sb.offset());
            });
        }
        float[] inScores = columns.main(0);
        float[] oodScores = columns.main(1);
        float[] all = columns.column(MAIN_SCORE);
        int[] labels = columns.labels();
        double threshold = pipeline.threshold();
        Evaluation ev = Evaluation.of(all, labels, threshold);
        EvaluationResult result = new EvaluationResult(ev, inScores, oodScores);

        Map<String, Curve> roc = new LinkedHashMap<>();
        Map<String, Curve> pr = new LinkedHashMap<>();
        Map<String, Double> aurocs = new LinkedHashMap<>();
        Map<String, Double> auprs = new LinkedHashMap<>();
        String scoreName = detector instanceof AlternativeScores a ? a.scoreName() : null;
        for (String name : columns.names()) {
            ScoreCounts counts = ScoreCounts.of(columns.column(name), labels);
            // the main score's curve says which of the detector's scores it is
            String label = name.equals(MAIN_SCORE) && scoreName != null ? MAIN_SCORE + " (" + scoreName + ")" : name;
            roc.put(label, Metrics.rocCurve(counts));
            pr.put(label, Metrics.precisionRecallCurve(counts));
            aurocs.put(label, Metrics.auroc(counts));
            auprs.put(label, Metrics.averagePrecision(counts));
        }

        Charts.Size size = options.chartSize();
        Map<String, byte[]> pngs = new LinkedHashMap<>();
        List<String> sections = new ArrayList<>(List.of("metrics"));
        List<String> notes = new ArrayList<>();
        Html html = new Html("Oddball report: " + detector.name() + " detector");
        html.paragraph("sub", "detector " + detector.name() + " " + pipeline.detectorVersion() + " · scorer "
                + Format.spec(pipeline.scorerSpec()) + " · threshold " + Format.number(threshold) + " ("
                + Format.spec(pipeline.thresholdSpec()) + ") · " + inScores.length + " normal instances, "
                + oodScores.length + " outliers");
        metrics(html, pipeline, result, in.name(), ood.name(), aurocs, auprs);

        XYChart scoresChart = Charts.instanceScores(inScores, oodScores, threshold, size);
        html.div("cols");
        chartSection(html, sections, pngs, "instance-scores", "Instance scores against the threshold",
                "Each instance's score, normal data first then outliers (Alibi's plot_instance_score); above the "
                        + "dashed line = flagged.", scoresChart, size);
        chartSection(html, sections, pngs, "histogram", "Score histograms: normal vs outliers",
                "Share of each set per score bin.", Charts.histogram(inScores, oodScores, threshold,
                        HISTOGRAM_BINS, size), size);
        html.endDiv().div("cols");
        String several = roc.size() > 1 ? "Every score column of the detector: " + String.join(", ", roc.keySet())
                + "." : "One score column (the detector offers no alternative scores).";
        chartSection(html, sections, pngs, "roc", "ROC curve", several, Charts.roc(roc, aurocs, size), size);
        chartSection(html, sections, pngs, "precision-recall", "Precision-recall curve", "Outliers are the "
                + "positive class.", Charts.precisionRecall(pr, auprs, size), size);
        html.endDiv();

        html.section("outliers", "Top outliers");
        if (!images) {
            String why = options.top() == 0 ? "no outlier images requested (--top 0)"
                    : "not shown: the data are not images (instance shape " + in.instanceShape() + ")";
            notes.add("outliers: " + why);
            html.paragraph("note", "Top outliers " + why + ".");
        } else {
            byte[] grid = outlierGrid(pipeline, top, in.instanceShape(), notes, html);
            pngs.put("outliers", grid);
            sections.add("outliers");
        }
        html.endSection();
        if (detector instanceof FeatureMaps fm && images) {
            html.section("maps", "Per-value maps of the top outliers");
            byte[] sheet = mapSheet(pipeline, fm, top, in.instanceShape(), html);
            pngs.put("maps", sheet);
            sections.add("maps");
            html.endSection();
        }
        if (detector instanceof Sampler sampler && options.samples() > 0) {
            html.section("samples", "Samples");
            byte[] grid = sampleGrid(pipeline, sampler, options.samples(), notes, html);
            if (grid != null) {
                pngs.put("samples", grid);
                sections.add("samples");
            }
            html.endSection();
        }
        html.paragraph("sub", "Written by Oddball.");

        List<Path> files = new ArrayList<>();
        if (options.pngDir() != null) {
            for (Map.Entry<String, byte[]> e : pngs.entrySet()) {
                Path f = options.pngDir().resolve(e.getKey() + ".png");
                ReportFiles.write(f, e.getValue());
                files.add(f);
            }
        }
        ReportFiles.write(out, html.finish().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        LOG.info("report: wrote {} ({} sections{})", out, sections.size(),
                files.isEmpty() ? "" : ", " + files.size() + " PNG files in " + options.pngDir());
        return new Report(result, List.copyOf(sections), List.copyOf(notes), List.copyOf(files));
    }

    private static void metrics(Html html, Pipeline p, EvaluationResult r, String in, String ood,
            Map<String, Double> aurocs, Map<String, Double> auprs) {
        Evaluation m = r.metrics();
        html.section("metrics", "Metrics");
        html.div("cols");
        html.table("metrics-table", List.of(List.of("metric", "value"),
                List.of("AUROC", Format.metric(m.auroc())), List.of("AUPR", Format.metric(m.aupr())),
                List.of("FPR at 95 % TPR", Format.metric(m.fpr95())), List.of("F1", Format.metric(m.f1())),
                List.of("accuracy", Format.metric(m.accuracy())), List.of("precision", Format.metric(m.precision())),
                List.of("recall", Format.metric(m.recall())), List.of("threshold", Format.number(m.threshold()))));
        ConfusionMatrix c = m.confusion();
        html.table("confusion", List.of(List.of("confusion", "predicted normal", "predicted outlier"),
                List.of("actually normal", Long.toString(c.tn()), Long.toString(c.fp())),
                List.of("actually outlier", Long.toString(c.fn()), Long.toString(c.tp()))));
        html.table("about", "kv", List.of(List.of("", ""), List.of("detector", p.detectorName() + " " + p.detectorVersion()),
                List.of("trained on", DisplayPath.of(p.info().trainData()) + " (" + p.info().trainInstances() + ")"),
                List.of("normal data", DisplayPath.of(in) + " (" + r.inScores().length + ")"),
                List.of("outliers", DisplayPath.of(ood) + " (" + r.oodScores().length + ")")));
        html.endDiv();
        if (aurocs.size() > 1) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("score column", "AUROC", "AUPR"));
            aurocs.forEach((k, v) -> rows.add(List.of(k, Format.metric(v), Format.metric(auprs.get(k)))));
            html.table("score-columns", rows);
        }
        html.endSection();
    }

    private static void chartSection(Html html, List<String> sections, Map<String, byte[]> pngs, String id,
            String heading, String caption, XYChart chart, Charts.Size size) {
        byte[] png = Charts.png(chart);
        pngs.put(id, png);
        sections.add(id);
        html.section(id, heading).paragraph("sub", caption).image(png, heading, size.width(), size.height())
                .endSection();
    }

    /** Alibi's plot_feature_outlier_image: per top outlier the input, its reconstruction and its feature scores. */
    private static byte[] outlierGrid(Pipeline p, TopOutliers top, Shape shape, List<String> notes, Html html) {
        List<TopOutliers.Entry> entries = top.sorted();
        int n = entries.size();
        int f = (int) shape.size();
        float[] values = new float[n * f];
        for (int i = 0; i < n; i++) {
            System.arraycopy(entries.get(i).row(), 0, values, i * f, f);
        }
        Batch raw = Batch.of(values, shape.prepend(n));
        Batch x = p.preprocessor().apply(raw);
        Scores sc = p.score(raw);
        Detector d = p.detector();
        Batch recon = d instanceof Reconstructor r ? r.reconstruct(x) : null;
        float[] fs = sc.hasFeatureScores() ? sc.featureScores() : null;
        if (recon == null) {
            notes.add("outliers: detector '" + d.name() + "' gives no reconstruction; showing "
                    + (fs == null ? "the inputs only" : "inputs and feature scores"));
        }
        if (fs == null) {
            notes.add("outliers: detector '" + d.name() + "' gives no feature scores; no heat maps");
        }
        List<String> titles = new ArrayList<>(List.of("input"));
        if (recon != null) {
            titles.add("reconstruction");
        }
        if (fs != null) {
            titles.add("feature scores");
        }
        int scale = ImageTiles.scaleFor(shape);
        float[] xv = x.toArray();
        float[] rv = recon == null ? null : recon.toArray();
        List<ImageTiles.Cell> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TopOutliers.Entry e = entries.get(i);
            float[] xi = java.util.Arrays.copyOfRange(xv, i * f, (i + 1) * f);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (float v : xi) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            List<BufferedImage> panels = new ArrayList<>();
            panels.add(ImageTiles.picture(xi, shape, lo, hi, scale));
            if (rv != null) {
                panels.add(ImageTiles.picture(java.util.Arrays.copyOfRange(rv, i * f, (i + 1) * f), shape, lo, hi,
                        scale));
            }
            if (fs != null) {
                panels.add(ImageTiles.heatMap(java.util.Arrays.copyOfRange(fs, i * f, (i + 1) * f), shape, scale));
            }
            String caption = (i + 1) + ". " + (e.label() == 0 ? "normal" : "outlier") + " #" + e.index()
                    + "  score " + Format.number(e.score());
            cells.add(new ImageTiles.Cell(caption, panels, titles));
        }
        BufferedImage grid = ImageTiles.grid(cells, GRID_WIDTH);
        byte[] png = ImageTiles.png(grid);
        html.paragraph("sub", "The " + n + " highest-scoring instances of both sets, highest first: "
                + String.join(", ", titles) + (fs != null ? " (heat map: mean over channels, scaled to each image's "
                + "largest)" : "") + ". Inputs are shown after preprocessing, each scaled to its own range.");
        notes.forEach(note -> html.paragraph("note", note));
        html.image(png, "top outliers", grid.getWidth(), grid.getHeight());
        return png;
    }

    /** The detector's per-value maps of the first top outliers, one row each (input, then every map). */
    private static byte[] mapSheet(Pipeline p, FeatureMaps fm, TopOutliers top, Shape shape, Html html) {
        List<TopOutliers.Entry> entries = top.sorted();
        int n = Math.min(MAX_MAP_ROWS, entries.size());
        int f = (int) shape.size();
        float[] values = new float[n * f];
        String[] captions = new String[n];
        for (int i = 0; i < n; i++) {
            TopOutliers.Entry e = entries.get(i);
            System.arraycopy(e.row(), 0, values, i * f, f);
            captions[i] = (i + 1) + ". " + (e.label() == 0 ? "normal" : "outlier") + " #" + e.index() + "  score "
                    + Format.number(e.score());
        }
        List<String> names = new ArrayList<>();
        List<BufferedImage> rows = FeatureMapWriter.rows(p, fm, Batch.of(values, shape.prepend(n)), captions,
                ImageTiles.scaleFor(shape), names);
        BufferedImage sheet = FeatureMapImages.sheet(rows, GRID_WIDTH);
        byte[] png = ImageTiles.png(sheet);
        html.paragraph("sub", "The " + n + " highest-scoring instances of both sets, highest first: the "
                + "input, then the detector's maps " + String.join(", ", names) + ", per pixel (sum over channels), "
                + "each on its own scale (diverging around 0 when a map has both signs).");
        html.image(png, "per-value maps of the top outliers", sheet.getWidth(), sheet.getHeight());
        return png;
    }

    /** A grid of samples from the detector's first model, or null (with a note) when its images are too large. */
    private static byte[] sampleGrid(Pipeline p, Sampler sampler, int n, List<String> notes, Html html) {
        Shape shape = p.detector().inputShape();
        String why = null;
        if (!ImageTiles.isImage(shape)) {
            why = "the detector's instances are not images (input shape " + shape + ")";
        } else if (shape.dim(0) > MAX_SAMPLE_SIDE || shape.dim(1) > MAX_SAMPLE_SIDE) {
            why = "images larger than " + MAX_SAMPLE_SIDE + "x" + MAX_SAMPLE_SIDE + " (" + shape + ") take too long "
                    + "to sample here; use oddball sample";
        }
        if (why != null) {
            notes.add("samples: not drawn: " + why);
            html.paragraph("note", "Samples not drawn: " + why + ".");
            return null;
        }
        String model = FeatureMapWriter.model(sampler, null);
        float[] values = FeatureMapWriter.sample(sampler, model, n, 0);
        BufferedImage grid = FeatureMapImages.samples(p.detectorName() + " · " + model + " model · " + n
                + " samples · seed 0", values, n, shape, ImageTiles.scaleFor(shape), GRID_WIDTH);
        byte[] png = ImageTiles.png(grid);
        html.paragraph("sub", n + " instances drawn from the detector's " + model + " model (of "
                + String.join(", ", sampler.sampleModels()) + "): what it has learnt the data look like.");
        html.image(png, "samples of the " + model + " model", grid.getWidth(), grid.getHeight());
        return png;
    }

    /** Instance scores (and alternative scores) of both sets, in order, normal data first. */
    private static final class ScoreColumns {
        private final Map<String, List<float[]>> parts = new LinkedHashMap<>();
        private final List<float[]> byLabel0 = new ArrayList<>();
        private final List<float[]> byLabel1 = new ArrayList<>();

        void add(int label, float[] main, Map<String, float[]> alternatives) {
            parts.computeIfAbsent(MAIN_SCORE, k -> new ArrayList<>()).add(main);
            (label == 0 ? byLabel0 : byLabel1).add(main);
            alternatives.forEach((name, v) -> {
                if (v.length != main.length) {
                    throw new OddballException("alternative scores '" + name + "': expected " + main.length
                            + " scores, found " + v.length);
                }
                parts.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
            });
        }

        List<String> names() {
            List<String> out = new ArrayList<>();
            int n = column(MAIN_SCORE).length;
            parts.forEach((k, v) -> {
                if (Evaluator.concat(v).length == n) {
                    out.add(k);
                }
            });
            return out;
        }

        float[] main(int label) {
            return Evaluator.concat(label == 0 ? byLabel0 : byLabel1);
        }

        float[] column(String name) {
            return Evaluator.concat(parts.get(name));
        }

        int[] labels() {
            int a = main(0).length;
            int[] l = new int[a + main(1).length];
            java.util.Arrays.fill(l, a, l.length, 1);
            return l;
        }
    }

    /** The {@code capacity} highest-scoring instances seen, with their raw values. */
    private static final class TopOutliers {
        record Entry(float score, int label, long index, float[] row) {
        }

        private final int capacity;
        private final PriorityQueue<Entry> heap = new PriorityQueue<>(Comparator.comparingDouble(Entry::score));

        TopOutliers(int capacity) {
            this.capacity = capacity;
        }

        void offer(Batch b, float[] scores, int label, long offset) {
            if (capacity == 0) {
                return;
            }
            for (int i = 0; i < scores.length; i++) {
                if (heap.size() < capacity || scores[i] > heap.peek().score()) {
                    heap.add(new Entry(scores[i], label, offset + i, b.row(i)));
                    if (heap.size() > capacity) {
                        heap.poll();
                    }
                }
            }
        }

        List<Entry> sorted() {
            List<Entry> out = new ArrayList<>(heap);
            out.sort(Comparator.comparingDouble(Entry::score).reversed());
            return out;
        }
    }
}
