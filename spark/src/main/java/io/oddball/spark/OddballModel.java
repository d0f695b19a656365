package io.oddball.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A saved Oddball detector as a Spark ML stage: appends an outlier score ({@code scoreCol}, the detector's instance
 * score as a double), an outlier flag ({@code outlierCol}: score above the saved threshold), optionally the feature
 * scores ({@code featureScoreCol}) and a message for rows that could not be scored ({@code errorCol}).
 *
 * <p>The input is one column ({@code inputCol}: {@code array<float>}, {@code array<double>}, an ML {@code Vector}, a
 * PNG/JPEG file's bytes as {@code binaryFile} reads them, or the {@code image} source's struct) or several numeric
 * columns ({@code inputCols}), each row one raw instance, passed through the saved pipeline's preprocessing and
 * embedding as {@code oddball predict} passes it. Rows are scored per partition, {@code batchSize} at a time, by a
 * detector loaded once per executor JVM from {@code detectorPath} (a local folder, any Hadoop file system URI, or a
 * folder shipped with {@code SparkContext.addFile(dir, true)} / {@code --archives}, by its name or as
 * {@code sparkfiles:NAME}).
 *
 * <p>A row that cannot be scored (a null, a wrong number of values, a value that is not finite, an image that does
 * not decode) gets a null score and flag and a message in {@code errorCol}, or, with {@code failOnError}, fails the
 * job with that message naming the row.
 */
public final class OddballModel extends Model<OddballModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> detectorPath;
    private final Param<String> inputCol;
    private final StringArrayParam inputCols;
    private final Param<String> scoreCol;
    private final Param<String> outlierCol;
    private final Param<String> featureScoreCol;
    private final Param<String> errorCol;
    private final BooleanParam failOnError;
    private final IntParam batchSize;

    public OddballModel() {
        this(Identifiable$.MODULE$.randomUID("oddball"));
    }

    public OddballModel(String uid) {
        this.uid = uid;
        detectorPath = new Param<>(this, "detectorPath", "a saved detector folder ('oddball fit ... --out DIR'): a "
                + "local path, a Hadoop file system URI (hdfs://, s3a://, ...), or the name of a folder shipped "
                + "with addFile/--archives (sparkfiles:NAME)");
        inputCol = new Param<>(this, "inputCol", "the input column: array<float|double>, ML Vector, PNG/JPEG "
                + "bytes or an image struct");
        inputCols = new StringArrayParam(this, "inputCols", "several numeric input columns, assembled in this "
                + "order (instead of inputCol)");
        scoreCol = new Param<>(this, "scoreCol", "output column of the instance scores (double)");
        outlierCol = new Param<>(this, "outlierCol", "output column of the outlier flags (score > threshold)");
        featureScoreCol = new Param<>(this, "featureScoreCol", "output column of the feature scores "
                + "(array<float>; null for detectors without them); unset or empty: none");
        errorCol = new Param<>(this, "errorCol", "output column of the message for a row that could not be "
                + "scored; empty: none");
        failOnError = new BooleanParam(this, "failOnError", "fail the job on the first row that cannot be scored, "
                + "naming it, instead of a null score and a message in errorCol");
        batchSize = new IntParam(this, "batchSize", "rows scored together (per partition)", ParamValidators.gtEq(1));
        setDefault(inputCol, "features");
        setDefault(scoreCol, "score");
        setDefault(outlierCol, "outlier");
        setDefault(featureScoreCol, "");
        setDefault(errorCol, "error");
        setDefault(failOnError, false);
        setDefault(batchSize, 256);
    }

    /** A model of the detector saved at {@code detectorPath}. */
    public OddballModel(String uid, String detectorPath) {
        this(uid);
        setDetectorPath(detectorPath);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> detectorPath() {
        return detectorPath;
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

    public String getDetectorPath() {
        return getOrDefault(detectorPath);
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public String[] getInputCols() {
        return getOrDefault(inputCols);
    }

    public String getScoreCol() {
        return getOrDefault(scoreCol);
    }

    public String getOutlierCol() {
        return getOrDefault(outlierCol);
    }

    public String getFeatureScoreCol() {
        return getOrDefault(featureScoreCol);
    }

    public String getErrorCol() {
        return getOrDefault(errorCol);
    }

    public boolean getFailOnError() {
        return (Boolean) getOrDefault(failOnError);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public OddballModel setDetectorPath(String value) {
        return (OddballModel) set(detectorPath, value);
    }

    public OddballModel setInputCol(String value) {
        return (OddballModel) set(inputCol, value);
    }

    public OddballModel setInputCols(String[] value) {
        return (OddballModel) set(inputCols, value);
    }

    public OddballModel setScoreCol(String value) {
        return (OddballModel) set(scoreCol, value);
    }

    public OddballModel setOutlierCol(String value) {
        return (OddballModel) set(outlierCol, value);
    }

    public OddballModel setFeatureScoreCol(String value) {
        return (OddballModel) set(featureScoreCol, value);
    }

    public OddballModel setErrorCol(String value) {
        return (OddballModel) set(errorCol, value);
    }

    public OddballModel setFailOnError(boolean value) {
        return (OddballModel) set(failOnError, value);
    }

    public OddballModel setBatchSize(int value) {
        return (OddballModel) set(batchSize, value);
    }

    /** The input columns: {@code inputCols} when set, else {@code inputCol}. */
    List<String> inputColumns() {
        if (isSet(inputCols) && getInputCols().length > 0) {
            return Arrays.asList(getInputCols());
        }
        return List.of(getInputCol());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(detectorPath)) {
            throw new IllegalArgumentException("OddballModel: expected detectorPath to be set (a saved detector "
                    + "folder), found it unset");
        }
        RowInput.of(schema, inputColumns());
        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        add(schema, fields, "scoreCol", getScoreCol(), DataTypes.DoubleType);
        add(schema, fields, "outlierCol", getOutlierCol(), DataTypes.BooleanType);
        if (!getFeatureScoreCol().isEmpty()) {
            add(schema, fields, "featureScoreCol", getFeatureScoreCol(),
                    DataTypes.createArrayType(DataTypes.FloatType, false));
        }
        if (!getErrorCol().isEmpty()) {
            add(schema, fields, "errorCol", getErrorCol(), DataTypes.StringType);
        }
        return new StructType(fields.toArray(StructField[]::new));
    }

    private static void add(StructType schema, List<StructField> fields, String param, String name,
            org.apache.spark.sql.types.DataType type) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(param + ": expected a column name, found an empty one");
        }
        if (fields.stream().anyMatch(f -> f.name().equals(name))) {
            throw new IllegalArgumentException(param + ": expected a new column name, found '" + name + "', which "
                    + "the DataFrame already has");
        }
        fields.add(DataTypes.createStructField(name, type, true));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        RowInput input = RowInput.of(dataset.schema(), inputColumns());
        DetectorCache.Source source = DetectorCache.Source.of(getDetectorPath(),
                dataset.sparkSession().sparkContext().hadoopConfiguration());
        PartitionScorer scorer = new PartitionScorer(source, input, getBatchSize(), getFailOnError(),
                !getFeatureScoreCol().isEmpty(), !getErrorCol().isEmpty());
        return dataset.toDF().mapPartitions(scorer, Encoders.row(out));
    }

    @Override
    public OddballModel copy(ParamMap extra) {
        OddballModel m = copyValues(new OddballModel(uid), extra);
        return m.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new StageIO.Writer(this);
    }

    /** Reads a stage saved by {@link #write()} (also how {@code PipelineModel.load} reads it). */
    public static MLReader<OddballModel> read() {
        return new StageIO.Reader<>(OddballModel.class, OddballModel::new);
    }

    public static OddballModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "OddballModel: uid=" + uid + ", detectorPath=" + (isDefined(detectorPath) ? getDetectorPath() : "")
                + ", input=" + inputColumns();
    }
}
