package io.oddball.spark;

import io.oddball.api.data.Npy;
import io.oddball.api.error.DataException;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.config.YamlDocument;
import io.oddball.runtime.pipeline.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Fits an Oddball detector on a DataFrame and returns it as an {@link OddballModel}. Fitting is single-machine: the
 * rows ({@code sampleFraction} of them, at most {@code maxRows}) are collected to the driver, written to a temporary
 * {@code .npy} and fitted there by the pipeline of {@code pipelinePath} (its {@code detector}, {@code preprocess},
 * {@code embed}, {@code scorer} and {@code threshold}; its {@code data} block is replaced by those rows), exactly as
 * {@code oddball fit} fits it; the detector is saved to {@code outputPath} (a local folder, as {@code --out}), which
 * the returned model's {@code detectorPath} names. The column parameters are those of {@link OddballModel} and are
 * passed on to it.
 */
public final class OddballEstimator extends Estimator<OddballModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OddballEstimator.class);

    private final String uid;
    private final Param<String> pipelinePath;
    private final Param<String> outputPath;
    private final BooleanParam overwrite;
    private final DoubleParam sampleFraction;
    private final LongParam seed;
    private final IntParam maxRows;
    private final IntArrayParam instanceShape;
    private final Param<String> inputCol;
    private final StringArrayParam inputCols;
    private final Param<String> scoreCol;
    private final Param<String> outlierCol;
    private final Param<String> featureScoreCol;
    private final Param<String> errorCol;
    private final BooleanParam failOnError;
    private final IntParam batchSize;

    public OddballEstimator() {
        this(Identifiable$.MODULE$.randomUID("oddball"));
    }

    public OddballEstimator(String uid) {
        this.uid = uid;
        pipelinePath = new Param<>(this, "pipelinePath", "a YAML pipeline (as 'oddball fit' reads) whose detector, "
                + "preprocess, embed, scorer and threshold are used; its data block is replaced by the DataFrame");
        outputPath = new Param<>(this, "outputPath", "the local folder the fitted detector is saved to (as 'oddball "
                + "fit --out'); the model's detectorPath");
        overwrite = new BooleanParam(this, "overwrite", "replace a saved detector already at outputPath");
        sampleFraction = new DoubleParam(this, "sampleFraction", "the fraction of rows fitted on (a random sample "
                + "without replacement)", ParamValidators.inRange(0, 1, false, true));
        seed = new LongParam(this, "seed", "the seed of the sample");
        maxRows = new IntParam(this, "maxRows", "the most rows collected to the driver to fit on; more is refused",
                ParamValidators.gtEq(1));
        instanceShape = new IntArrayParam(this, "instanceShape", "the shape of one instance (e.g. [28, 28, 1] "
                + "for images given as 784 values); empty: the row's values as a vector");
        inputCol = new Param<>(this, "inputCol", "the input column: array<float|double> or ML Vector");
        inputCols = new StringArrayParam(this, "inputCols", "several numeric input columns, assembled in this "
                + "order (instead of inputCol)");
        scoreCol = new Param<>(this, "scoreCol", "the model's output column of the instance scores (double)");
        outlierCol = new Param<>(this, "outlierCol", "the model's output column of the outlier flags");
        featureScoreCol = new Param<>(this, "featureScoreCol", "the model's output column of the feature scores; "
                + "unset or empty: none");
        errorCol = new Param<>(this, "errorCol", "the model's output column of the message for a row that could "
                + "not be scored; empty: none");
        failOnError = new BooleanParam(this, "failOnError", "the model fails the job on the first row that cannot "
                + "be scored");
        batchSize = new IntParam(this, "batchSize", "rows the model scores together (per partition)",
                ParamValidators.gtEq(1));
        setDefault(overwrite, false);
        setDefault(sampleFraction, 1.0);
        setDefault(seed, 42L);
        setDefault(maxRows, 100_000);
        setDefault(instanceShape, new int[0]);
        setDefault(inputCol, "features");
        setDefault(scoreCol, "score");
        setDefault(outlierCol, "outlier");
        setDefault(featureScoreCol, "");
        setDefault(errorCol, "error");
        setDefault(failOnError, false);
        setDefault(batchSize, 256);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> pipelinePath() {
        return pipelinePath;
    }

    public Param<String> outputPath() {
        return outputPath;
    }

    public BooleanParam overwrite() {
        return overwrite;
    }

    public DoubleParam sampleFraction() {
        return sampleFraction;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam maxRows() {
        return maxRows;
    }

    public IntArrayParam instanceShape() {
        return instanceShape;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public StringArrayParam inputCols() {
        return inputCols;
    }

    public Param<String> scoreCol() {
        return scoreCol;
    }

    public Param<String> outlierCol() {
        return outlierCol;
    }

    public Param<String> featureScoreCol() {
        return featureScoreCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public BooleanParam failOnError() {
        return failOnError;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public String getPipelinePath() {
        return getOrDefault(pipelinePath);
    }

    public String getOutputPath() {
        return getOrDefault(outputPath);
    }

    public boolean getOverwrite() {
        return (Boolean) getOrDefault(overwrite);
    }

    public double getSampleFraction() {
        return (Double) getOrDefault(sampleFraction);
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    public int getMaxRows() {
        return (Integer) getOrDefault(maxRows);
    }

    public int[] getInstanceShape() {
        return getOrDefault(instanceShape);
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public String[] getInputCols() {
        return getOrDefault(inputCols);
    }

    public OddballEstimator setPipelinePath(String value) {
        return (OddballEstimator) set(pipelinePath, value);
    }

    public OddballEstimator setOutputPath(String value) {
        return (OddballEstimator) set(outputPath, value);
    }

    public OddballEstimator setOverwrite(boolean value) {
        return (OddballEstimator) set(overwrite, value);
    }

    public OddballEstimator setSampleFraction(double value) {
        return (OddballEstimator) set(sampleFraction, value);
    }

    public OddballEstimator setSeed(long value) {
        return (OddballEstimator) set(seed, value);
    }

    public OddballEstimator setMaxRows(int value) {
        return (OddballEstimator) set(maxRows, value);
    }

    public OddballEstimator setInstanceShape(int[] value) {
        return (OddballEstimator) set(instanceShape, value);
    }

    public OddballEstimator setInputCol(String value) {
        return (OddballEstimator) set(inputCol, value);
    }

    public OddballEstimator setInputCols(String[] value) {
        return (OddballEstimator) set(inputCols, value);
    }

    public OddballEstimator setScoreCol(String value) {
        return (OddballEstimator) set(scoreCol, value);
    }

    public OddballEstimator setOutlierCol(String value) {
        return (OddballEstimator) set(outlierCol, value);
    }

    public OddballEstimator setFeatureScoreCol(String value) {
        return (OddballEstimator) set(featureScoreCol, value);
    }

    public OddballEstimator setErrorCol(String value) {
        return (OddballEstimator) set(errorCol, value);
    }

    public OddballEstimator setFailOnError(boolean value) {
        return (OddballEstimator) set(failOnError, value);
    }

    public OddballEstimator setBatchSize(int value) {
        return (OddballEstimator) set(batchSize, value);
    }

    private List<String> inputColumns() {
        if (isSet(inputCols) && getInputCols().length > 0) {
            return Arrays.asList(getInputCols());
        }
        return List.of(getInputCol());
    }

    /** The model's schema; checks the input columns and that the paths are set. */
    @Override
    public StructType transformSchema(StructType schema) {
        for (Param<String> p : List.of(pipelinePath, outputPath)) {
            if (!isDefined(p) || getOrDefault(p).isEmpty()) {
                throw new IllegalArgumentException("OddballEstimator: expected " + p.name() + " to be set, found it "
                        + "unset");
            }
        }
        RowInput input = RowInput.of(schema, inputColumns());
        if (input.kind() == RowInput.Kind.ENCODED_IMAGE || input.kind() == RowInput.Kind.IMAGE_STRUCT) {
            throw new IllegalArgumentException("OddballEstimator: " + input.describe() + ": expected numbers "
                    + "(array, Vector or numeric columns) to fit on, found images; give the pixels as an array "
                    + "with instanceShape [H, W, C], or fit with 'oddball fit' on the image files");
        }
        return copyValues(new OddballModel(uid, getOutputPath()), ParamMap.empty()).transformSchema(schema);
    }

    @Override
    public OddballModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Path yaml = Path.of(getPipelinePath());
        Path out = Path.of(getOutputPath());
        if (!DetectorCache.isLocal(getOutputPath()) || getOutputPath().startsWith(DetectorCache.SPARK_FILES)) {
            throw new IllegalArgumentException("outputPath '" + getOutputPath() + "': expected a local folder "
                    + "(fitting is single-machine), found a URI; copy the saved folder to " + getOutputPath()
                    + " after fitting");
        }
        if (!Files.isRegularFile(yaml)) {
            throw new IllegalArgumentException("pipelinePath '" + getPipelinePath() + "': expected a YAML pipeline "
                    + "file, found " + (Files.exists(yaml) ? "a folder" : "nothing") + " there");
        }
        if (!getOverwrite() && Files.exists(out) && !emptyFolder(out)) {
            // refused before the rows are collected and fitted, as saving would refuse it after
            throw new IllegalArgumentException("outputPath '" + getOutputPath() + "': expected a new or empty "
                    + "folder, found " + (Files.isDirectory(out) ? "a folder with files" : "a file") + " there (set "
                    + "overwrite to replace a saved detector)");
        }
        float[][] rows = collect(dataset);
        Path work;
        try {
            work = Files.createTempDirectory("oddball-fit-");
        } catch (IOException e) {
            throw new UncheckedIOException("OddballEstimator: creating a temporary folder failed", e);
        }
        try {
            Path npy = work.resolve("train.npy");
            writeNpy(npy, rows);
            Path fitYaml = work.resolve("pipeline.yaml");
            Files.writeString(fitYaml, pipelineFor(yaml, npy));
            Oddball oddball = DetectorCache.oddball();
            long t = System.nanoTime();
            try (Pipeline p = oddball.fit(oddball.parse(fitYaml, new RuntimeContext("cpu", false)),
                    new RuntimeContext("cpu", false))) {
                oddball.save(p, out, getOverwrite());
                LOG.info("fitted {} on {} rows in {} ms, saved to {}", p.detectorName(), rows.length,
                        (System.nanoTime() - t) / 1_000_000, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("OddballEstimator: writing the training data to " + work + " failed", e);
        } finally {
            delete(work);
        }
        OddballModel model = copyValues(new OddballModel(uid, getOutputPath()), ParamMap.empty());
        return model.setParent(this);
    }

    /** The input rows (a sample of them when asked), on the driver; at most {@code maxRows}. */
    private float[][] collect(Dataset<?> dataset) {
        List<String> cols = inputColumns();
        Dataset<Row> df = dataset.toDF().select(cols.stream().map(Column::new).toArray(Column[]::new));
        if (getSampleFraction() < 1.0) {
            df = df.sample(false, getSampleFraction(), getSeed());
        }
        int max = getMaxRows();
        List<Row> got = df.limit(max + 1).collectAsList();
        if (got.size() > max) {
            throw new IllegalArgumentException("OddballEstimator: expected at most maxRows=" + max + " rows to fit "
                    + "on (fitting is single-machine: the rows are collected to the driver), found more; lower "
                    + "sampleFraction or raise maxRows");
        }
        if (got.isEmpty()) {
            throw new IllegalArgumentException("OddballEstimator: expected rows to fit on, found none");
        }
        RowInput input = RowInput.of(df.schema(), cols);
        float[][] x = new float[got.size()][];
        for (int i = 0; i < x.length; i++) {
            try {
                x[i] = input.read(got.get(i), null);
            } catch (DataException e) {
                throw new DataException("OddballEstimator: row " + i + " of the rows to fit on: " + e.getMessage(),
                        e);
            }
            if (x[i].length != x[0].length) {
                throw new DataException("OddballEstimator: row " + i + " of the rows to fit on: " + input.describe()
                        + ": expected " + x[0].length + " values (as row 0), found " + x[i].length);
            }
        }
        return x;
    }

    private void writeNpy(Path npy, float[][] rows) {
        int f = rows[0].length;
        int[] shape = getInstanceShape();
        if (shape.length > 0 && Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b) != f) {
            throw new IllegalArgumentException("instanceShape " + Arrays.toString(shape) + ": expected as many "
                    + "values as a row has (" + f + "), found " + Arrays.stream(shape).asLongStream()
                    .reduce(1, (a, b) -> a * b));
        }
        int[] dims = new int[1 + Math.max(1, shape.length)];
        dims[0] = rows.length;
        if (shape.length == 0) {
            dims[1] = f;
        } else {
            System.arraycopy(shape, 0, dims, 1, shape.length);
        }
        float[] flat = new float[rows.length * f];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * f, f);
        }
        Npy.write(npy, dims, flat);
    }

    /**
     * The text of {@code yaml} with its {@code data} (and {@code evaluate}) block replaced by {@code data: {train:
     * {path: npy}}}; the relative paths it names ({@code threshold.data.path}, {@code embed.detector}) are made
     * absolute, since the copy is read from another folder.
     */
    @SuppressWarnings("unchecked")
    static String pipelineFor(Path yaml, Path npy) {
        Object root = new Yaml().load(YamlDocument.readText(yaml, "a YAML pipeline"));
        if (!(root instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("pipelinePath '" + yaml + "': expected a YAML mapping (a pipeline), "
                    + "found " + (root == null ? "nothing" : "a " + root.getClass().getSimpleName()));
        }
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) root);
        Path base = yaml.toAbsolutePath().getParent();
        m.remove("evaluate");
        m.put("data", Map.of("train", Map.of("path", npy.toAbsolutePath().toString())));
        if (m.get("threshold") instanceof Map<?, ?> th && th.get("data") instanceof Map<?, ?> d
                && d.get("path") instanceof String p) {
            ((Map<String, Object>) d).put("path", base.resolve(p).toString());
        }
        if (m.get("embed") instanceof Map<?, ?> e && e.get("detector") instanceof String p) {
            ((Map<String, Object>) e).put("detector", base.resolve(p).toString());
        }
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(m);
    }

    private static boolean emptyFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | RuntimeException e) {
            LOG.warn("removing {}: {}", dir, e.toString());
        }
    }

    @Override
    public OddballEstimator copy(ParamMap extra) {
        return copyValues(new OddballEstimator(uid), extra);
    }

    @Override
    public MLWriter write() {
        return new StageIO.Writer(this);
    }

    /** Reads an estimator saved by {@link #write()} (also how {@code Pipeline.load} reads it). */
    public static MLReader<OddballEstimator> read() {
        return new StageIO.Reader<>(OddballEstimator.class, OddballEstimator::new);
    }

    public static OddballEstimator load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "OddballEstimator: uid=" + uid + ", pipelinePath=" + (isDefined(pipelinePath) ? getPipelinePath()
                : "") + ", input=" + inputColumns();
    }
}
