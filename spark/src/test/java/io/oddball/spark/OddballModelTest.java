package io.oddball.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Npy;
import io.oddball.api.data.Shape;
import io.oddball.api.result.Scores;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.pipeline.Pipeline;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * OddballModel on a real {@code local[2]} Spark with detectors fitted here on small data: its scores equal those of
 * the loaded pipeline scoring the same rows directly (as {@code oddball predict} does), for every input kind, across
 * partitions of uneven size and empty ones; bad rows get a message or fail the job naming them; the stage saves and
 * loads alone and inside a PipelineModel; the shipped likelihood-ratio detector scores Fashion-MNIST images as the
 * loaded pipeline does. OddballEstimator fits from a DataFrame the detector {@code oddball fit} fits on the same rows.
 */
class OddballModelTest {
    /** Scores of the same rows in batches of other sizes differ by float rounding only. */
    private static final double TOLERANCE = 1e-4;

    @TempDir
    static Path tmp;

    static SparkSession spark;
    static Oddball oddball;
    static Path knn;
    static Path ae;
    static Path images;
    static float[][] tabular;
    static float[][] wide;

    @BeforeAll
    static void setUp() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("oddball-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        oddball = Oddball.create(List.of());
        Random r = new Random(7);
        // 4 features: a Gaussian blob, with a few far rows planted among the rows to score
        tabular = rows(r, 200, 4);
        wide = rows(r, 300, 8);
        knn = fitSave("knn", tabular, "detector: {type: knn, k: 5, metric: euclidean}\n");
        ae = fitSave("ae", wide, """
                detector:
                  type: ae
                  architecture: mlp
                  hidden: [6]
                  latentDim: 3
                  fit: {epochs: 5, batchSize: 32, learningRate: 5.0e-3, seed: 1}
                scorer: {type: top-percent, outlierPerc: 100}
                """);
        images = fitImages();
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    static float[][] rows(Random r, int n, int f) {
        float[][] x = new float[n][f];
        for (float[] row : x) {
            for (int j = 0; j < f; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return x;
    }

    static Path fitSave(String name, float[][] train, String detector) throws IOException {
        int f = train[0].length;
        float[] flat = new float[train.length * f];
        for (int i = 0; i < train.length; i++) {
            System.arraycopy(train[i], 0, flat, i * f, f);
        }
        Path npy = tmp.resolve(name + "-train.npy");
        Npy.write(npy, new int[] {train.length, f}, flat);
        Path yaml = Files.writeString(tmp.resolve(name + ".yaml"), detector + "data: {train: {path: " + npy + "}}\n");
        Path dir = tmp.resolve(name);
        try (Pipeline p = oddball.fit(yaml, ctx())) {
            oddball.save(p, dir);
        }
        return dir;
    }

    static RuntimeContext ctx() {
        return new RuntimeContext("cpu", false);
    }

    /** A KNN detector of 8x8 RGB images, fitted on 40 generated PNGs. */
    static Path fitImages() throws IOException {
        Path train = Files.createDirectories(tmp.resolve("png-train"));
        Random r = new Random(11);
        for (int i = 0; i < 40; i++) {
            ImageIO.write(image(r, 8, 8, 0), "png", train.resolve(String.format("t-%02d.png", i)).toFile());
        }
        return fitSaveYaml("img", "detector: {type: knn, k: 3}\ndata: {train: {path: " + train
                + ", format: images}}\n");
    }

    static Path fitSaveYaml(String name, String text) throws IOException {
        Path yaml = Files.writeString(tmp.resolve(name + ".yaml"), text);
        Path dir = tmp.resolve(name);
        try (Pipeline p = oddball.fit(yaml, ctx())) {
            oddball.save(p, dir);
        }
        return dir;
    }

    /** Noise around a grey level; {@code shift} brightens it (an outlier). */
    static BufferedImage image(Random r, int h, int w, int shift) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = Math.min(255, Math.max(0, 100 + shift + (int) (30 * r.nextGaussian())));
                int g = Math.min(255, v + 20);
                img.setRGB(x, y, (v << 16) | (g << 8) | (255 - v));
            }
        }
        return img;
    }

    /** Scores of {@code x} by the saved detector loaded here, in one batch (as {@code oddball predict} scores). */
    static Scores direct(Path dir, float[][] x) {
        try (Pipeline p = oddball.load(dir, ctx())) {
            int f = x[0].length;
            float[] flat = new float[x.length * f];
            for (int i = 0; i < x.length; i++) {
                System.arraycopy(x[i], 0, flat, i * f, f);
            }
            return p.score(Batch.of(flat, p.inputShape().prepend(x.length)));
        }
    }

    static double threshold(Path dir) {
        try (Pipeline p = oddball.load(dir, ctx())) {
            return p.threshold();
        }
    }

    /** Rows (id, array<float>) in 5 partitions of sizes 31, 0, 12, 5, 0 (of 48 rows). */
    static Dataset<Row> unevenArrays(float[][] x) {
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType));
        List<Tuple2<Integer, Row>> keyed = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            keyed.add(new Tuple2<>(i, RowFactory.create(i, boxed(x[i]))));
        }
        JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelizePairs(keyed, 2)
                .partitionBy(new Uneven()).values();
        return spark.createDataFrame(rdd, schema);
    }

    /** Sends keys 0..30 to partition 0, 31..42 to 2, the rest to 3; partitions 1 and 4 stay empty. */
    static final class Uneven extends Partitioner {
        private static final long serialVersionUID = 1L;

        @Override
        public int numPartitions() {
            return 5;
        }

        @Override
        public int getPartition(Object key) {
            int k = (Integer) key;
            return k < 31 ? 0 : k < 43 ? 2 : 3;
        }
    }

    static Float[] boxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }

    static double[] doubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** The probe rows: 45 like the training data and 3 far away. */
    static float[][] probe(int f) {
        float[][] x = rows(new Random(99), 48, f);
        for (int i = 45; i < 48; i++) {
            Arrays.fill(x[i], 6f);
        }
        return x;
    }

    static List<Row> byId(Dataset<Row> df) {
        return df.orderBy("id").collectAsList();
    }

    @Test
    void knnScoresOfArraysEqualTheLoadedPipelineAcrossUnevenAndEmptyPartitions() {
        float[][] x = probe(4);
        Dataset<Row> in = unevenArrays(x);
        assertThat(in.rdd().getNumPartitions()).isEqualTo(5);
        assertThat(in.javaRDD().glom().collect().stream().map(List::size).toList()).containsExactly(31, 0, 12, 5, 0);
        OddballModel model = new OddballModel().setDetectorPath(knn.toString()).setBatchSize(8);
        List<Row> out = byId(model.transform(in));
        float[] expected = direct(knn, x).instanceScores();
        double t = threshold(knn);
        assertThat(out).hasSize(48);
        for (int i = 0; i < 48; i++) {
            Row r = out.get(i);
            assertThat(r.<Double>getAs("score")).as("row %d", i).isCloseTo(expected[i], within(TOLERANCE));
            assertThat(r.<Boolean>getAs("outlier")).isEqualTo(r.<Double>getAs("score") > t);
            assertThat(r.<String>getAs("error")).isNull();
        }
        // the planted rows are the outliers
        assertThat(out.subList(45, 48)).allMatch(r -> r.<Boolean>getAs("outlier"));
        assertThat(out.subList(0, 45).stream().filter(r -> r.<Boolean>getAs("outlier")).count()).isLessThan(8);
    }

    /** The shipped likelihood-ratio detector (PixelCNN++ pair) and Fashion-MNIST slice, from the repository root. */
    static final Path SHIPPED_LLR = Path.of("../models/fashion-mnist-llr").toAbsolutePath().normalize();
    static final Path FASHION = Path.of("../data/fashion-mnist/fashion-mnist-test-2000-images-idx3-ubyte.gz")
            .toAbsolutePath().normalize();

    @Test
    void theShippedLlrDetectorScoresFashionMnistImagesAsTheLoadedPipelineDoes() {
        // the first 16 test images, as the idx reader gives them (28x28x1, 0..255), one array<float> of 784 each
        Batch first;
        try (var it = oddball.openData(FASHION, "idx", Map.of()).batches(16)) {
            first = it.next();
        }
        assertThat(first.size()).isEqualTo(16);
        float[] flat = first.toArray();
        float[][] x = new float[16][];
        for (int i = 0; i < 16; i++) {
            x[i] = Arrays.copyOfRange(flat, i * 784, (i + 1) * 784);
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            rows.add(RowFactory.create(i, boxed(x[i])));
        }
        Dataset<Row> in = spark.createDataFrame(rows, schema).repartition(3);
        List<Row> out = byId(new OddballModel().setDetectorPath(SHIPPED_LLR.toString()).setInputCol("pixels")
                .setBatchSize(5).transform(in));
        float[] expected;
        double t;
        try (Pipeline p = oddball.load(SHIPPED_LLR, ctx())) {
            assertThat(p.inputShape()).isEqualTo(Shape.of(28, 28, 1));
            expected = p.score(Batch.of(flat, p.inputShape().prepend(16))).instanceScores();
            t = p.threshold();
        }
        assertThat(out).hasSize(16);
        for (int i = 0; i < 16; i++) {
            Row r = out.get(i);
            assertThat(r.<String>getAs("error")).as("row %d", i).isNull();
            // log-likelihood ratios are sums over 784 pixels: float rounding relative to their size
            assertThat(r.<Double>getAs("score")).as("row %d", i)
                    .isCloseTo(expected[i], within(TOLERANCE * Math.max(1, Math.abs(expected[i]))));
            assertThat(r.<Boolean>getAs("outlier")).isEqualTo(r.<Double>getAs("score") > t);
        }
    }

    @Test
    void aeScoresOfVectorsAndFeatureScoresEqualTheLoadedPipelineAndRescoringIsDeterministic() {
        float[][] x = probe(8);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            // dense and sparse vectors alike
            rows.add(RowFactory.create(i, i % 2 == 0 ? Vectors.dense(doubles(x[i]))
                    : Vectors.dense(doubles(x[i])).toSparse()));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("vec", SQLDataTypes.VectorType());
        Dataset<Row> in = spark.createDataFrame(rows, schema).repartition(3);
        OddballModel model = new OddballModel().setDetectorPath(ae.toString()).setInputCol("vec")
                .setFeatureScoreCol("fs").setBatchSize(5);
        Dataset<Row> scored = model.transform(in).cache();
        List<Row> out = byId(scored);
        Scores expected = direct(ae, x);
        for (int i = 0; i < x.length; i++) {
            assertThat(out.get(i).<Double>getAs("score")).as("row %d", i)
                    .isCloseTo(expected.instanceScores()[i], within(TOLERANCE));
            List<Float> fs = out.get(i).getList(out.get(i).fieldIndex("fs"));
            assertThat(fs).hasSize(8);
            for (int j = 0; j < 8; j++) {
                assertThat(fs.get(j)).isCloseTo(expected.featureScores()[i * 8 + j], within((float) TOLERANCE));
            }
        }
        // the same partitions scored again (a retried task): the same scores, exactly
        List<Row> again = byId(model.transform(scored.select("id", "vec")));
        for (int i = 0; i < x.length; i++) {
            assertThat(again.get(i).<Double>getAs("score")).isEqualTo(out.get(i).<Double>getAs("score"));
        }
        scored.unpersist();
    }

    @Test
    void doubleArraysAndSeveralNumericColumnsAreInstancesToo() {
        float[][] x = probe(4);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            rows.add(RowFactory.create(i, new Double[] {(double) x[i][0], (double) x[i][1], (double) x[i][2],
                (double) x[i][3]}, (double) x[i][0], x[i][1], (double) x[i][2], (double) x[i][3]));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("d", DataTypes.createArrayType(DataTypes.DoubleType)).add("a", DataTypes.DoubleType)
                .add("b", DataTypes.FloatType).add("c", DataTypes.DoubleType).add("e", DataTypes.DoubleType);
        Dataset<Row> in = spark.createDataFrame(rows, schema).repartition(2);
        float[] expected = direct(knn, x).instanceScores();
        List<Row> fromArray = byId(new OddballModel().setDetectorPath(knn.toString()).setInputCol("d").transform(in));
        List<Row> fromCols = byId(new OddballModel().setDetectorPath(knn.toString())
                .setInputCols(new String[] {"a", "b", "c", "e"}).transform(in));
        for (int i = 0; i < x.length; i++) {
            assertThat(fromArray.get(i).<Double>getAs("score")).isCloseTo(expected[i], within(TOLERANCE));
            assertThat(fromCols.get(i).<Double>getAs("score")).isCloseTo(expected[i], within(TOLERANCE));
        }
    }

    @Test
    void aPipelineWithVectorAssemblerBeforeOddballScoresAndSavesAndLoads() throws IOException {
        float[][] x = probe(4);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            rows.add(RowFactory.create(i, (double) x[i][0], (double) x[i][1], (double) x[i][2], (double) x[i][3]));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("a", DataTypes.DoubleType)
                .add("b", DataTypes.DoubleType).add("c", DataTypes.DoubleType).add("e", DataTypes.DoubleType);
        Dataset<Row> in = spark.createDataFrame(rows, schema);
        VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"a", "b", "c", "e"})
                .setOutputCol("assembled");
        OddballModel oddballStage = new OddballModel().setDetectorPath(knn.toString()).setInputCol("assembled")
                .setScoreCol("oddity").setOutlierCol("odd");
        PipelineModel pm = new org.apache.spark.ml.Pipeline()
                .setStages(new PipelineStage[] {assembler, oddballStage}).fit(in);
        float[] expected = direct(knn, x).instanceScores();
        List<Row> out = byId(pm.transform(in));
        for (int i = 0; i < x.length; i++) {
            assertThat(out.get(i).<Double>getAs("oddity")).isCloseTo(expected[i], within(TOLERANCE));
        }
        String saved = tmp.resolve("pipeline-model").toString();
        pm.write().save(saved);
        PipelineModel loaded = PipelineModel.load(saved);
        assertThat(loaded.stages()[1]).isInstanceOf(OddballModel.class);
        List<Row> again = byId(loaded.transform(in));
        for (int i = 0; i < x.length; i++) {
            assertThat(again.get(i).<Double>getAs("oddity")).isEqualTo(out.get(i).<Double>getAs("oddity"));
            assertThat(again.get(i).<Boolean>getAs("odd")).isEqualTo(out.get(i).<Boolean>getAs("odd"));
        }
    }

    @Test
    void theStageSavesAndLoadsWithEveryParameter() throws IOException {
        OddballModel m = new OddballModel("oddball_1234").setDetectorPath(knn.toString())
                .setInputCols(new String[] {"a", "b"}).setScoreCol("s").setOutlierCol("o").setFeatureScoreCol("f")
                .setErrorCol("why").setFailOnError(true).setBatchSize(17);
        String path = tmp.resolve("stage").toString();
        m.write().save(path);
        OddballModel loaded = OddballModel.load(path);
        assertThat(loaded.uid()).isEqualTo("oddball_1234");
        assertThat(loaded.getDetectorPath()).isEqualTo(knn.toString());
        assertThat(loaded.getInputCols()).containsExactly("a", "b");
        assertThat(loaded.getScoreCol()).isEqualTo("s");
        assertThat(loaded.getOutlierCol()).isEqualTo("o");
        assertThat(loaded.getFeatureScoreCol()).isEqualTo("f");
        assertThat(loaded.getErrorCol()).isEqualTo("why");
        assertThat(loaded.getFailOnError()).isTrue();
        assertThat(loaded.getBatchSize()).isEqualTo(17);
        assertThat(loaded.isSet(loaded.inputCol())).isFalse();
        assertThat(loaded.getInputCol()).isEqualTo("features");
    }

    @Test
    void badRowsGetANullScoreAndAMessageOrFailTheJobNamingTheRow() {
        float[][] x = probe(4);
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, true));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(RowFactory.create(i, boxed(x[i])));
        }
        rows.set(2, RowFactory.create(2, null));
        rows.set(4, RowFactory.create(4, new Float[] {1f, 2f, 3f}));
        rows.set(6, RowFactory.create(6, new Float[] {1f, Float.NaN, 3f, 4f}));
        rows.set(8, RowFactory.create(8, new Float[] {1f, null, 3f, 4f}));
        Dataset<Row> in = spark.createDataFrame(rows, schema).coalesce(1);
        OddballModel model = new OddballModel().setDetectorPath(knn.toString()).setBatchSize(4);
        List<Row> out = byId(model.transform(in));
        float[] expected = direct(knn, x).instanceScores();
        for (int i : new int[] {0, 1, 3, 5, 7, 9}) {
            assertThat(out.get(i).<Double>getAs("score")).isCloseTo(expected[i], within(TOLERANCE));
            assertThat(out.get(i).<String>getAs("error")).isNull();
        }
        for (int i : new int[] {2, 4, 6, 8}) {
            assertThat(out.get(i).<Double>getAs("score")).as("row %d", i).isNull();
            assertThat(out.get(i).<Boolean>getAs("outlier")).isNull();
        }
        assertThat(out.get(2).<String>getAs("error"))
                .isEqualTo("row 2 of partition 0: column 'features': expected a value, found null");
        assertThat(out.get(4).<String>getAs("error"))
                .isEqualTo("row 4 of partition 0: column 'features': expected 4 values (the detector's input 4), "
                        + "found 3");
        assertThat(out.get(6).<String>getAs("error"))
                .isEqualTo("row 6 of partition 0: column 'features', value 1: expected a finite number, found NaN");
        assertThat(out.get(8).<String>getAs("error"))
                .isEqualTo("row 8 of partition 0: column 'features', value 1: expected a number, found null");

        assertThatThrownBy(() -> model.copy(new org.apache.spark.ml.param.ParamMap()).setFailOnError(true)
                .transform(in).collectAsList())
                .hasStackTraceContaining("OddballModel: row 2 of partition 0: column 'features': expected a value, "
                        + "found null (failOnError is set");
    }

    @Test
    void pngAndJpegBytesAndImageStructsScoreAsTheImagesReaderReadsTheFiles() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("png-score"));
        Random r = new Random(5);
        for (int i = 0; i < 9; i++) {
            // some of another size (resized to the detector's 8x8), the last ones brighter
            int size = i % 3 == 0 ? 12 : 8;
            ImageIO.write(image(r, size, size, i >= 7 ? 120 : 0), "png",
                    dir.resolve(String.format("s-%02d.png", i)).toFile());
        }
        float[] expected;
        try (Pipeline p = oddball.load(images, ctx())) {
            expected = p.scoreAll(oddball.openData(p, dir, "images", Map.of()), 64, () -> false).scores();
        }
        Dataset<Row> files = spark.read().format("binaryFile").load(dir.toString());
        List<Row> fromBytes = new OddballModel().setDetectorPath(images.toString()).setInputCol("content")
                .setBatchSize(4).transform(files).orderBy("path").collectAsList();
        Dataset<Row> structs = spark.read().format("image").load(dir.toString());
        List<Row> fromStructs = new OddballModel().setDetectorPath(images.toString()).setInputCol("image")
                .transform(structs).orderBy("image.origin").collectAsList();
        assertThat(fromBytes).hasSize(9);
        assertThat(fromStructs).hasSize(9);
        for (int i = 0; i < 9; i++) {
            assertThat(fromBytes.get(i).<Double>getAs("score")).as("file %d", i)
                    .isCloseTo(expected[i], within(TOLERANCE * Math.max(1, expected[i])));
            assertThat(fromStructs.get(i).<Double>getAs("score")).as("struct %d", i)
                    .isCloseTo(expected[i], within(TOLERANCE * Math.max(1, expected[i])));
        }
        assertThat(fromBytes.get(7).<Boolean>getAs("outlier")).isTrue();
        assertThat(fromBytes.get(8).<Boolean>getAs("outlier")).isTrue();
    }

    @Test
    void anUndecodableImageGetsAMessageNamingItsFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("png-bad"));
        ImageIO.write(image(new Random(1), 8, 8, 0), "png", dir.resolve("a-good.png").toFile());
        Files.write(dir.resolve("b-bad.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        byte[] jpeg = Files.readAllBytes(dir.resolve("a-good.png"));
        Files.write(dir.resolve("c-cut.png"), Arrays.copyOf(jpeg, jpeg.length / 2));
        Dataset<Row> files = spark.read().format("binaryFile").load(dir.toString());
        List<Row> out = new OddballModel().setDetectorPath(images.toString()).setInputCol("content")
                .transform(files).orderBy("path").collectAsList();
        assertThat(out.get(0).<Double>getAs("score")).isNotNull();
        assertThat(out.get(1).<Double>getAs("score")).isNull();
        assertThat(out.get(1).<String>getAs("error")).contains("b-bad.png").contains("column 'content': expected a "
                + "PNG or JPEG image");
        assertThat(out.get(2).<Double>getAs("score")).isNull();
        assertThat(out.get(2).<String>getAs("error")).contains("c-cut.png").contains("column 'content': expected");
        // the image source keeps a file it cannot decode as an invalid struct when told not to drop it
        Dataset<Row> structs = spark.read().format("image").option("dropInvalid", false).load(dir.toString());
        List<Row> s = new OddballModel().setDetectorPath(images.toString()).setInputCol("image").transform(structs)
                .orderBy("image.origin").collectAsList();
        assertThat(s.get(0).<String>getAs("error")).isNull();
        assertThat(s.get(1).<String>getAs("error")).contains("b-bad.png")
                .contains("column 'image': expected a decoded image, found an invalid one");
    }

    @Test
    void aDetectorShippedWithAddFileOrOnAHadoopFileSystemIsFound() throws IOException {
        float[][] x = probe(4);
        Dataset<Row> in = unevenArrays(x);
        float[] expected = direct(knn, x).instanceScores();
        spark.sparkContext().addFile(knn.toString(), true);
        List<Row> shipped = byId(new OddballModel().setDetectorPath("sparkfiles:knn").transform(in));
        for (int i = 0; i < x.length; i++) {
            assertThat(shipped.get(i).<Double>getAs("score")).isCloseTo(expected[i], within(TOLERANCE));
        }
        // through Hadoop's FileSystem (a file: URI stands in for hdfs:// or s3a://): copied once per JVM
        DetectorCache.Source src = new DetectorCache.Source(knn.toUri().toString(), null);
        Path copy = DetectorCache.copyFromHadoop(src);
        assertThat(copy.resolve("detector.yaml")).hasSameTextualContentAs(knn.resolve("detector.yaml"));
        assertThat(DetectorCache.copyFromHadoop(src)).isEqualTo(copy);
        try (Pipeline p = oddball.load(copy, ctx())) {
            assertThat(p.threshold()).isEqualTo(threshold(knn));
        }
    }

    @Test
    void aMissingDetectorOrColumnIsOneClearLine() {
        Dataset<Row> in = unevenArrays(probe(4));
        assertThatThrownBy(() -> new OddballModel().setDetectorPath(knn.toString()).setInputCol("nope")
                .transform(in))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input column 'nope': expected a column of the DataFrame, found none of that name "
                        + "(columns: id, features)");
        assertThatThrownBy(() -> new OddballModel().setDetectorPath(tmp.resolve("none").toString()).transform(in)
                .collectAsList())
                .hasStackTraceContaining("detectorPath '" + tmp.resolve("none") + "': expected a saved detector "
                        + "folder (with detector.yaml), found nothing");
        assertThatThrownBy(() -> new OddballModel().transform(in)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected detectorPath to be set");
    }

    @Test
    void theDetectorIsLoadedOncePerJvm() {
        Dataset<Row> in = unevenArrays(probe(4));
        OddballModel m = new OddballModel().setDetectorPath(knn.toString());
        m.transform(in).count();
        int loaded = DetectorCache.loadedCount();
        m.transform(in).collectAsList();
        m.transform(in.repartition(4)).collectAsList();
        assertThat(DetectorCache.loadedCount()).isEqualTo(loaded);
        assertThat(Shape.of(4)).isEqualTo(DetectorCache.get(new DetectorCache.Source(knn.toString(), null))
                .inputShape());
    }

    @Test
    void scoreJobScoresAParquetFileAndNeverWritesOverItsOutput() {
        float[][] x = probe(4);
        String input = tmp.resolve("in.parquet").toString();
        String output = tmp.resolve("out.parquet").toString();
        unevenArrays(x).write().parquet(input);
        ScoreJob.Options o = ScoreJob.Options.parse(new String[] {"--detector", knn.toString(), "--input", input,
            "--output", output, "--input-col", "features", "--batch-size", "7"});
        assertThat(ScoreJob.run(spark, o)).isEqualTo(48);
        List<Row> out = byId(spark.read().parquet(output));
        float[] expected = direct(knn, x).instanceScores();
        for (int i = 0; i < x.length; i++) {
            assertThat(out.get(i).<Double>getAs("score")).isCloseTo(expected[i], within(TOLERANCE));
        }
        assertThatThrownBy(() -> ScoreJob.run(spark, o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--output: expected a path where nothing is yet, found " + output
                        + " existing; add --overwrite to replace it");
        // the paths are checked on the driver before any job: one line naming the argument
        String none = tmp.resolve("none").toString();
        assertThatThrownBy(() -> ScoreJob.run(spark, ScoreJob.Options.parse(new String[] {"--detector",
            knn.toString(), "--input", none, "--output", none + "-out"})))
                .hasMessage("--input: expected a Parquet file or folder, found nothing at " + none);
        assertThatThrownBy(() -> ScoreJob.run(spark, ScoreJob.Options.parse(new String[] {"--detector", none,
            "--input", input, "--output", none + "-out"})))
                .hasMessage("--detector: expected a saved detector folder (with detector.yaml), found nothing at "
                        + none);
        assertThatThrownBy(() -> ScoreJob.run(spark, ScoreJob.Options.parse(new String[] {"--detector", input,
            "--input", input, "--output", none + "-out"})))
                .hasMessage("--detector: expected a saved detector folder (with detector.yaml), found no "
                        + "detector.yaml in " + input);
        // a failed job removes what it left at an output that was not there before
        String badInput = tmp.resolve("bad-in.parquet").toString();
        String badOutput = tmp.resolve("bad-out.parquet").toString();
        float[][] bad = probe(4);
        bad[5] = new float[] {1, 2, 3};
        unevenArrays(bad).write().parquet(badInput);
        assertThatThrownBy(() -> ScoreJob.run(spark, ScoreJob.Options.parse(new String[] {"--detector",
            knn.toString(), "--input", badInput, "--output", badOutput, "--fail-on-error"})))
                .satisfies(e -> assertThat(ScoreJob.rootMessage(e)).startsWith("OddballModel: row ")
                        .contains("column 'features': expected 4 values"));
        assertThat(Files.exists(Path.of(badOutput))).isFalse();
        assertThat(ScoreJob.rootMessage(new org.apache.spark.SparkException("Job aborted",
                new RuntimeException("wrapped", new io.oddball.api.error.DataException("row 3: expected x, found y")))))
                .isEqualTo("row 3: expected x, found y");
        assertThatThrownBy(() -> ScoreJob.Options.parse(new String[] {"--input", input, "--output", output}))
                .hasMessage("--detector: expected a value, found the option missing");
        assertThatThrownBy(() -> ScoreJob.Options.parse(new String[] {"--detector", "d", "--input", input,
            "--output", output, "--batch-size", "0"})).hasMessage("--batch-size: expected an integer >= 1, found '0'");
    }

    static Dataset<Row> arrays(float[][] x, int partitions) {
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            rows.add(RowFactory.create(i, boxed(x[i])));
        }
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    static Path knnPipeline() throws IOException {
        // a data block that is replaced by the DataFrame's rows (this file does not exist)
        return Files.writeString(tmp.resolve("est-knn.yaml"),
                "detector: {type: knn, k: 5, metric: euclidean}\ndata: {train: {path: /nowhere/train.npy}}\n");
    }

    @Test
    void aKnnFittedOnADataFrameScoresAsTheOneOddballFitFitsOnTheSameRows() throws IOException {
        // the same 200 rows the runtime fitted knn on, in 3 partitions
        Dataset<Row> train = arrays(tabular, 3);
        Path out = tmp.resolve("est-knn-out");
        OddballEstimator est = new OddballEstimator().setPipelinePath(knnPipeline().toString())
                .setOutputPath(out.toString()).setScoreCol("s").setBatchSize(7);
        OddballModel model = est.fit(train);
        assertThat(model.getDetectorPath()).isEqualTo(out.toString());
        assertThat(model.getScoreCol()).isEqualTo("s");
        assertThat(model.getBatchSize()).isEqualTo(7);
        assertThat(model.uid()).isEqualTo(est.uid());
        assertThat(model.parent()).isSameAs(est);
        assertThat(out.resolve("detector.yaml")).isRegularFile();
        assertThat(threshold(out)).isCloseTo(threshold(knn),
                within(1e-4));

        float[][] x = probe(4);
        List<Row> scored = byId(model.transform(arrays(x, 2)));
        float[] expected = direct(knn, x).instanceScores();
        for (int i = 0; i < x.length; i++) {
            assertThat(scored.get(i).<Double>getAs("s")).as("row %d", i)
                    .isCloseTo(expected[i], within(TOLERANCE));
        }
        assertThat(scored.subList(45, 48)).allMatch(r -> r.<Boolean>getAs("outlier"));

        // the saved detector is not written over unless asked
        assertThatThrownBy(() -> est.fit(train)).hasMessage("outputPath '" + out + "': expected a new or empty "
                + "folder, found a folder with files there (set overwrite to replace a saved detector)");
        OddballModel again = est.copy(new org.apache.spark.ml.param.ParamMap()).setOverwrite(true).fit(train);
        try (Pipeline p = oddball.load(Path.of(again.getDetectorPath()), ctx())) {
            assertThat(p.threshold()).isCloseTo(threshold(knn), within(1e-4));
        }
    }

    @Test
    void theEstimatorSavesAndLoadsWithItsParameters() throws IOException {
        OddballEstimator est = new OddballEstimator("oddball_est_1").setPipelinePath("/p/knn.yaml")
                .setOutputPath("/models/knn").setMaxRows(500).setSampleFraction(0.25).setSeed(3)
                .setInstanceShape(new int[] {2, 2, 1}).setInputCols(new String[] {"a", "b"}).setErrorCol("why");
        String path = tmp.resolve("estimator").toString();
        est.write().save(path);
        OddballEstimator loaded = OddballEstimator.load(path);
        assertThat(loaded.uid()).isEqualTo("oddball_est_1");
        assertThat(loaded.getPipelinePath()).isEqualTo("/p/knn.yaml");
        assertThat(loaded.getOutputPath()).isEqualTo("/models/knn");
        assertThat(loaded.getMaxRows()).isEqualTo(500);
        assertThat(loaded.getSampleFraction()).isEqualTo(0.25);
        assertThat(loaded.getSeed()).isEqualTo(3L);
        assertThat(loaded.getInstanceShape()).containsExactly(2, 2, 1);
        assertThat(loaded.getInputCols()).containsExactly("a", "b");
        assertThat(loaded.getOrDefault(loaded.errorCol())).isEqualTo("why");
        assertThat(loaded.isSet(loaded.overwrite())).isFalse();
        assertThatThrownBy(() -> OddballModel.load(path)).hasMessageContaining("expected a saved "
                + OddballModel.class.getName() + ", found one of class '" + OddballEstimator.class.getName() + "'");
    }

    @Test
    void moreRowsThanMaxRowsOrNoPipelineIsOneClearLine() throws IOException {
        Dataset<Row> train = arrays(rows(new Random(3), 50, 4), 2);
        Path out = tmp.resolve("est-refused");
        assertThatThrownBy(() -> new OddballEstimator().setPipelinePath(knnPipeline().toString())
                .setOutputPath(out.toString()).setMaxRows(49).fit(train))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("OddballEstimator: expected at most maxRows=49 rows to fit on (fitting is "
                        + "single-machine: the rows are collected to the driver), found more; lower sampleFraction "
                        + "or raise maxRows");
        assertThat(out).doesNotExist();
        // a sample of about half fits within 40 rows
        OddballModel m = new OddballEstimator().setPipelinePath(knnPipeline().toString()).setOutputPath(out.toString())
                .setMaxRows(40).setSampleFraction(0.5).fit(train);
        assertThat(Path.of(m.getDetectorPath()).resolve("detector.yaml")).isRegularFile();
        assertThatThrownBy(() -> new OddballEstimator().setPipelinePath(tmp.resolve("no.yaml")
                .toString()).setOutputPath(out + "-2").fit(train))
                .hasMessage("pipelinePath '" + tmp.resolve("no.yaml") + "': expected a YAML pipeline "
                        + "file, found nothing there");
        assertThatThrownBy(() -> new OddballEstimator().setOutputPath(out + "-2").fit(train))
                .hasMessage("OddballEstimator: expected pipelinePath to be set, found it unset");
    }
}
