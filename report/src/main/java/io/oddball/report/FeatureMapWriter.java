package io.oddball.report;

import io.oddball.api.Detector;
import io.oddball.api.FeatureMaps;
import io.oddball.api.Sampler;
import io.oddball.api.data.Batch;
import io.oddball.api.data.BatchIterator;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.api.error.OddballException;
import io.oddball.runtime.data.NanPolicy;
import io.oddball.runtime.pipeline.Pipeline;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code oddball maps} and {@code oddball sample}: draws a detector's per-value maps ({@link FeatureMaps}) of image
 * instances, one PNG per instance, and a grid of instances drawn from one of its models ({@link Sampler}) as a PNG.
 * Every file is written whole or not at all. Stateless; one instance serves many calls.
 */
public final class FeatureMapWriter {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureMapWriter.class);
    /** Longer side, in pixels, that images are magnified to in the PNG files. */
    private static final int PIXELS = 168;
    /** Widest sample grid in pixels. */
    private static final int GRID_WIDTH = 1200;

    static {
        Charts.headless();
    }

    /**
     * Map images written.
     *
     * @param files the PNG files, {@code map-<index>.png}, in data order
     * @param maps the names of the maps drawn beside each input
     */
    public record Maps(List<Path> files, List<String> maps) {
    }

    /**
     * A sample grid written.
     *
     * @param file the PNG file
     * @param model the model sampled
     * @param n how many instances were drawn
     * @param shape the shape of one instance
     */
    public record Samples(Path file, String model, int n, Shape shape) {
    }

    /**
     * Writes the maps of instances {@code offset .. offset + limit - 1} of {@code data} (raw, through the pipeline's
     * preprocessing) into {@code outDir} as {@code map-<index>.png}: the input, then each map, with the instance score
     * in the caption. The index is the instance's position in {@code data} (its source position when a NaN policy
     * dropped rows).
     *
     * @throws ConfigException when the detector has no maps
     * @throws DataException when the data are not images or hold fewer than {@code offset + 1} instances
     */
    public Maps writeMaps(Pipeline pipeline, Dataset data, long offset, int limit, int batchSize, Path outDir,
            BooleanSupplier stop) {
        Objects.requireNonNull(pipeline, "pipeline is null");
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(outDir, "outDir is null");
        if (offset < 0 || limit < 1 || batchSize < 1) {
            throw new IllegalArgumentException("maps: expected offset >= 0, limit >= 1 and batchSize >= 1, found "
                    + offset + ", " + limit + ", " + batchSize);
        }
        FeatureMaps fm = requireMaps(pipeline.detector());
        Shape shape = data.instanceShape();
        if (!ImageTiles.isImage(shape)) {
            throw new DataException(data.name() + ": expected images (HxW or HxWxC with 1 or 3 channels) to draw "
                    + "maps of, found instance shape " + shape);
        }
        int mag = FeatureMapImages.scaleFor(shape, PIXELS);
        List<Path> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        long position = 0;
        try (BatchIterator it = data.batches(batchSize)) {
            while (it.hasNext() && files.size() < limit) {
                if (stop.getAsBoolean()) {
                    throw new OddballException("stopped by the user after " + files.size() + " map images");
                }
                Batch b = it.next();
                long first = position;
                position += b.size();
                if (position <= offset) {
                    continue;
                }
                int from = (int) Math.max(0, offset - first);
                int to = (int) Math.min(b.size(), from + (limit - files.size()));
                long[] index = new long[to - from];
                float[] values = new float[(to - from) * (int) shape.size()];
                for (int i = from; i < to; i++) {
                    index[i - from] = data instanceof NanPolicy.Filtered f ? f.sourceIndex(b, i) : first + i;
                    System.arraycopy(b.row(i), 0, values, (i - from) * (int) shape.size(), (int) shape.size());
                }
                Batch raw = Batch.of(values, shape.prepend(to - from));
                float[] scores = pipeline.score(raw).instanceScores();
                double threshold = pipeline.threshold();
                String[] captions = new String[index.length];
                String source = data.name().substring(data.name().lastIndexOf('/') + 1);
                for (int i = 0; i < index.length; i++) {
                    captions[i] = source + " #" + index[i] + "  score " + Format.number(scores[i])
                            + (Double.isFinite(threshold) ? (scores[i] > threshold ? " > " : " <= ") + "threshold "
                            + Format.number(threshold) : "");
                }
                List<BufferedImage> rows = rows(pipeline, fm, raw, captions, mag, names);
                for (int i = 0; i < rows.size(); i++) {
                    Path f = outDir.resolve("map-" + index[i] + ".png");
                    ReportFiles.write(f, ImageTiles.png(rows.get(i)));
                    files.add(f);
                }
            }
        }
        if (files.isEmpty()) {
            throw new DataException(data.name() + ": expected more than " + offset + " instances (--offset), found "
                    + position);
        }
        LOG.info("maps: wrote {} map images to {}", files.size(), outDir);
        return new Maps(List.copyOf(files), List.copyOf(names));
    }

    /**
     * One row image per instance of {@code raw}: the input (after preprocessing) and each map, under its caption.
     * Fills {@code names} with the maps' names.
     */
    static List<BufferedImage> rows(Pipeline pipeline, FeatureMaps fm, Batch raw, String[] captions, int mag,
            List<String> names) {
        Shape shape = raw.instanceShape();
        int n = raw.size();
        int f = (int) shape.size();
        Batch x = pipeline.preprocessor().apply(raw);
        Map<String, float[]> maps = fm.featureMaps(pipeline.prepare(raw));
        for (Map.Entry<String, float[]> e : maps.entrySet()) {
            if (e.getValue().length != n * f) {
                throw new OddballException("maps: detector '" + pipeline.detectorName() + "', map '" + e.getKey()
                        + "': expected " + n * f + " values (" + n + " instances of " + shape + "), found "
                        + e.getValue().length);
            }
        }
        names.clear();
        names.addAll(maps.keySet());
        float[] xv = x.toArray();
        List<BufferedImage> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] xi = Arrays.copyOfRange(xv, i * f, (i + 1) * f);
            Map<String, float[]> mine = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> e : maps.entrySet()) {
                mine.put(e.getKey(), Arrays.copyOfRange(e.getValue(), i * f, (i + 1) * f));
            }
            rows.add(FeatureMapImages.row(captions[i], xi, FeatureMapImages.displayRange(xi), mine, shape, mag));
        }
        return rows;
    }

    /**
     * Draws {@code n} instances from the detector's model {@code model} (its first when null) with {@code seed} and
     * writes them to {@code out} as one PNG grid.
     *
     * @throws ConfigException when the detector cannot sample, {@code model} is not one of its models, or its
     *     instances are not images
     */
    public Samples writeSamples(Pipeline pipeline, String model, int n, long seed, Path out) {
        Objects.requireNonNull(pipeline, "pipeline is null");
        Objects.requireNonNull(out, "out is null");
        if (n < 1) {
            throw new IllegalArgumentException("samples: expected n >= 1, found " + n);
        }
        Sampler s = requireSampler(pipeline.detector());
        String m = model(s, model);
        Shape shape = sampleShape(pipeline.detector());
        float[] values = sample(s, m, n, seed);
        BufferedImage grid = FeatureMapImages.samples(pipeline.detectorName() + " · " + m + " model · " + n
                + " samples · seed " + seed, values, n, shape, FeatureMapImages.scaleFor(shape, 84), GRID_WIDTH);
        ReportFiles.write(out, ImageTiles.png(grid));
        LOG.info("sample: wrote {} samples of the {} model to {}", n, m, out);
        return new Samples(out, m, n, shape);
    }

    /**
     * The models the pipeline's detector samples from ({@link Sampler#sampleModels()}).
     *
     * @throws ConfigException when the detector cannot sample
     */
    public static List<String> sampleModels(Pipeline pipeline) {
        return requireSampler(pipeline.detector()).sampleModels();
    }

    /** The detector's maps, or a one-line error naming it. */
    static FeatureMaps requireMaps(Detector d) {
        if (d instanceof FeatureMaps fm) {
            return fm;
        }
        throw new ConfigException("maps: expected a detector with per-value maps (FeatureMaps, such as llr), found '"
                + d.name() + "'");
    }

    /** The detector as a sampler, or a one-line error naming it. */
    static Sampler requireSampler(Detector d) {
        if (d instanceof Sampler s) {
            return s;
        }
        throw new ConfigException("sample: expected a detector that draws samples (Sampler, such as llr), found '"
                + d.name() + "'");
    }

    /** {@code model}, checked against the sampler's models; its first model when null. */
    static String model(Sampler s, String model) {
        List<String> known = s.sampleModels();
        if (model == null) {
            return known.get(0);
        }
        if (!known.contains(model)) {
            throw new ConfigException("model: expected one of " + String.join(", ", known) + ", found '" + model
                    + "'");
        }
        return model;
    }

    /** The image shape of the detector's instances, or a one-line error. */
    static Shape sampleShape(Detector d) {
        Shape shape = d.inputShape();
        if (!ImageTiles.isImage(shape)) {
            throw new ConfigException("sample: expected a detector of images (HxW or HxWxC with 1 or 3 channels), "
                    + "found input shape " + shape);
        }
        return shape;
    }

    /** Draws the samples; a stop request or a closed detector become one-line failures. */
    static float[] sample(Sampler s, String model, int n, long seed) {
        try {
            return s.sample(model, n, seed);
        } catch (IllegalStateException e) {
            throw new OddballException(e.getMessage(), e);
        }
    }
}
