package io.oddball.detector.knn;

import static io.oddball.detector.knn.Fixtures.batch;
import static io.oddball.detector.knn.Fixtures.dataset;
import static io.oddball.detector.knn.Fixtures.detector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.Params;
import io.oddball.api.data.Npy;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.api.error.ModelFormatException;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnnDetectorTest {
    @TempDir
    Path dir;

    private static Batch random(long seed, int n, int dim) {
        Random r = new Random(seed);
        float[] x = new float[n * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return Batch.wrap(x, Shape.of(n, dim), null);
    }

    /** cleanlab's fit_score computed directly (plain Java, double distances): the oracle for duplicates. */
    private static float[] bruteForceFitScores(float[] x, int n, int dim, int k, boolean cosine) {
        double[] avg = new double[n];
        for (int i = 0; i < n; i++) {
            List<double[]> others = new ArrayList<>();
            int dups = 0;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                boolean same = true;
                double dot = 0;
                double ni = 0;
                double nj = 0;
                double sq = 0;
                for (int c = 0; c < dim; c++) {
                    double a = x[i * dim + c];
                    double b = x[j * dim + c];
                    same &= a == b;
                    dot += a * b;
                    ni += a * a;
                    nj += b * b;
                    sq += (a - b) * (a - b);
                }
                if (same) {
                    dups++;
                } else {
                    double d = cosine ? Math.min(2, Math.max(0, 1 - dot / Math.sqrt(ni * nj))) : Math.sqrt(sq);
                    others.add(new double[] {d});
                }
            }
            others.sort((a, b) -> Double.compare(a[0], b[0]));
            int zeros = Math.min(dups, k);
            double sum = 0;
            for (int j = 0; j < k - zeros; j++) {
                sum += others.get(j)[0];
            }
            avg[i] = sum / k;
        }
        double sf = Atypicality.scalingFactor(avg);
        return Atypicality.scores(avg, 1, sf, cosine ? Metric.COSINE : Metric.EUCLIDEAN);
    }

    @Test
    void exactDuplicatesAreEachOthersNeighboursAtDistanceZero() {
        int n = 120;
        int dim = 6;
        Batch b = random(7, n, dim);
        float[] x = b.toArray();
        for (int j = 1; j <= 3; j++) { // a set of 4 (< k + 1)
            System.arraycopy(x, 0, x, j * 5 * dim, dim);
        }
        for (int j = 0; j < 12; j++) { // a set of 13 (>= k + 1): all distances 0, score 1
            System.arraycopy(x, dim, x, (60 + j) * dim, dim);
        }
        for (String metric : List.of("cosine", "euclidean")) {
            try (KnnDetector d = detector(Map.of("metric", metric))) {
                float[] got = d.fitCleanlabScores(dataset(Batch.wrap(x, Shape.of(n, dim), null)));
                float[] expected = bruteForceFitScores(x, n, dim, 10, metric.equals("cosine"));
                assertThat(got).containsExactly(expected, within(2e-6f));
                assertThat(got[60]).isEqualTo(1f);
                assertThat(got[1]).isEqualTo(1f);
            }
        }
    }

    @Test
    void blockedSearchEqualsUnblocked() {
        Batch train = random(1, 301, 40);
        Batch test = random(2, 57, 40);
        for (String metric : List.of("cosine", "euclidean")) {
            try (KnnDetector big = detector(Map.of("metric", metric));
                    KnnDetector tiny = detector(Map.of("metric", metric, "blockSize", 200))) {
                float[] a = big.fitCleanlabScores(dataset(train));
                float[] b = tiny.fitCleanlabScores(dataset(train));
                assertThat(b).containsExactly(a, within(1e-6f));
                assertThat(tiny.cleanlabScores(test)).containsExactly(big.cleanlabScores(test), within(1e-6f));
                assertThat(tiny.config().scalingFactor()).isCloseTo(big.config().scalingFactor(), within(1e-7));
            }
        }
    }

    @Test
    void neighbourListsOfBlockedAndUnblockedSearchesAreIdentical() {
        Batch train = random(3, 257, 16);
        float[] x = train.toArray();
        try (NeighbourSearch one = new NeighbourSearch(Metric.COSINE, x, 257, 16, false, null, null, 1L << 24,
                DetectorContext.simple());
                NeighbourSearch many = new NeighbourSearch(Metric.COSINE, x, 257, 16, false, null, null, 150,
                        DetectorContext.simple())) {
            Neighbours a = one.searchReference(11);
            Neighbours b = many.searchReference(11);
            Neighbours c = many.search(x, 0, 257, 11);
            for (int r = 0; r < 257; r++) {
                for (int j = 0; j < 11; j++) {
                    assertThat(b.index(r, j)).isEqualTo(a.index(r, j));
                    assertThat(c.index(r, j)).isEqualTo(a.index(r, j));
                    assertThat(b.distance(r, j)).isCloseTo(a.distance(r, j), within(1e-6));
                }
            }
        }
    }

    @Test
    void saveThenLoadGivesIdenticalScores() throws Exception {
        Batch train = batch("knn-cosine", "train.npy");
        Batch test = batch("knn-cosine", "test.npy");
        for (Map<String, Object> params : List.<Map<String, Object>>of(Map.of(), Map.of("standardize", true),
                Map.of("metric", "euclidean", "k", 5))) {
            Path modelDir = dir.resolve("m" + params.hashCode());
            try (KnnDetector d = detector(params)) {
                d.fit(dataset(train), FitOptions.DEFAULTS);
                float[] before = d.score(test).instanceScores();
                Files.createDirectories(modelDir);
                d.save(modelDir);
                try (var loaded = new KnnDetectorProvider().load(modelDir, Params.of(d.hyperParameters()),
                        DetectorContext.simple())) {
                    assertThat(loaded.score(test).instanceScores()).isEqualTo(before);
                    assertThat(loaded.inputShape()).isEqualTo(Shape.of(512));
                    assertThat(loaded.hyperParameters()).isEqualTo(d.hyperParameters());
                }
            }
        }
    }

    @Test
    void aDetectorSavedWithABlockSizeOverTodaysLimitStillLoads() throws Exception {
        Batch train = batch("knn-cosine", "train.npy");
        Batch test = batch("knn-cosine", "test.npy");
        try (KnnDetector d = detector(Map.of())) {
            d.fit(dataset(train), FitOptions.DEFAULTS);
            float[] before = d.score(test).instanceScores();
            Path modelDir = Files.createDirectories(dir.resolve("big-block"));
            d.save(modelDir);
            // blockSize 2^27 was accepted before the limit of 2^26: the saved detector loads with the limit
            Map<String, Object> hp = new java.util.LinkedHashMap<>(d.hyperParameters());
            hp.put("blockSize", 1L << 27);
            Params params = Params.of(hp);
            try (var loaded = new KnnDetectorProvider().load(modelDir, params, DetectorContext.simple())) {
                assertThat(loaded.score(test).instanceScores()).isEqualTo(before);
            }
            params.finish();
            assertThat(params.problems()).isEmpty();
            // a new detector with it is still a configuration problem naming the range
            Params fresh = Params.of(Map.of("blockSize", 1L << 27));
            new KnnDetectorProvider().create(fresh, DetectorContext.simple()).close();
            assertThat(fresh.problems()).singleElement().asString().contains("blockSize", "an integer from 1 to 67108864");
        }
    }

    @Test
    void predProbsSaveThenLoad() throws Exception {
        Batch train = Fixtures.labelled("knn-euclidean", "pp_train_pred_probs.npy", "pp_train_labels.npy");
        Batch test = batch("knn-euclidean", "pp_test_pred_probs.npy");
        try (KnnDetector d = detector(Map.of("mode", "pred-probs"))) {
            d.fit(dataset(train), FitOptions.DEFAULTS);
            Files.createDirectories(dir.resolve("pp"));
            d.save(dir.resolve("pp"));
            try (var loaded = new KnnDetectorProvider().load(dir.resolve("pp"), Params.of(d.hyperParameters()),
                    DetectorContext.simple())) {
                assertThat(loaded.score(test).instanceScores()).isEqualTo(d.score(test).instanceScores());
            }
        }
    }

    @Test
    void loadChecksFilesAndShapes() throws Exception {
        Batch train = random(4, 50, 8);
        try (KnnDetector d = detector(Map.of())) {
            d.fit(dataset(train), FitOptions.DEFAULTS);
            d.save(dir);
            Map<String, Object> hp = d.hyperParameters();
            Npy.write(dir.resolve("reference.npy"), new int[] {50, 7}, new float[350]);
            assertThatThrownBy(() -> new KnnDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple()))
                    .isInstanceOf(ModelFormatException.class).hasMessageContaining("reference.npy")
                    .hasMessageContaining("expected a float32 array of shape [50, 8], found <f4 [50, 7]");
            Files.delete(dir.resolve("reference.npy"));
            assertThatThrownBy(() -> new KnnDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple()))
                    .isInstanceOf(ModelFormatException.class).hasMessageContaining("reference.npy");
            Files.writeString(dir.resolve("knn.properties"), "formatVersion=9\n");
            assertThatThrownBy(() -> new KnnDetectorProvider().load(dir, Params.of(hp), DetectorContext.simple()))
                    .isInstanceOf(ModelFormatException.class).hasMessageContaining("newer");
        }
    }

    @Test
    void errors() {
        Batch train = random(5, 30, 512);
        try (KnnDetector d = detector(Map.of("k", 30))) {
            assertThatThrownBy(() -> d.fit(dataset(train), FitOptions.DEFAULTS)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("k: expected an integer < the number of reference instances (30), found 30");
        }
        try (KnnDetector d = detector(Map.of())) {
            d.fit(dataset(train), FitOptions.DEFAULTS);
            assertThatThrownBy(() -> d.score(random(6, 4, 3))).isInstanceOf(DataException.class)
                    .hasMessageContaining("expected instance shape 512, found 3");
            float[] bad = random(6, 4, 512).toArray();
            bad[2 * 512 + 7] = Float.NaN;
            assertThatThrownBy(() -> d.score(Batch.wrap(bad, Shape.of(4, 512), null)))
                    .isInstanceOf(DataException.class).hasMessageContaining("row 2, column 7")
                    .hasMessageContaining("NaN");
            assertThat(d.score(Batch.wrap(new float[0], Shape.of(0, 512), null)).size()).isZero();
            d.close();
            assertThatThrownBy(() -> d.score(random(6, 4, 512))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        try (KnnDetector d = detector(Map.of())) {
            assertThatThrownBy(() -> d.fit(dataset(Batch.wrap(new float[0], Shape.of(0, 5), null)),
                    FitOptions.DEFAULTS)).isInstanceOf(DataException.class).hasMessageContaining("found none");
            assertThatThrownBy(() -> d.score(random(6, 4, 512))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not fitted");
        }
        try (KnnDetector d = detector(Map.of("mode", "pred-probs"))) {
            assertThatThrownBy(() -> d.fit(dataset(random(1, 5, 3)), FitOptions.DEFAULTS))
                    .isInstanceOf(DataException.class).hasMessageContaining("expected labels");
        }
        assertThatThrownBy(() -> detector(Map.of("metric", "manhattan", "k", -1, "method", "gen")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metric").hasMessageContaining("k:")
                .hasMessageContaining("method: unknown key");
    }

    @Test
    void separatesShiftedQueriesAndScoresConcurrently() throws Exception {
        Batch train = batch("knn-cosine", "train.npy");
        Batch test = batch("knn-cosine", "test.npy");
        long[] ood = Fixtures.longs("knn-cosine", "test_is_ood.npy");
        try (KnnDetector d = detector(Map.of())) {
            d.fit(dataset(train), FitOptions.DEFAULTS);
            float[] s = d.score(test).instanceScores();
            double pairs = 0;
            double wins = 0;
            for (int i = 0; i < s.length; i++) {
                for (int j = 0; j < s.length; j++) {
                    if (ood[i] == 1 && ood[j] == 0) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }
            assertThat(wins / pairs).as("AUROC").isGreaterThan(0.95);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[]>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    futures.add(pool.submit(() -> d.score(test).instanceScores()));
                }
                for (Future<float[]> f : futures) {
                    assertThat(f.get()).isEqualTo(s);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void aStopRequestEndsTheSelfSearchAndReportsProgress() {
        List<String> tasks = new ArrayList<>();
        long[] steps = {0};
        DetectorContext stopAfterProgress = new DetectorContext() {
            @Override
            public io.oddball.api.Progress progress(String task, long total, String unit) {
                tasks.add(task + " " + total + " " + unit);
                return new io.oddball.api.Progress() {
                    @Override
                    public void step(long n) {
                        steps[0] += n;
                    }

                    @Override
                    public void extra(String text) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public boolean stopRequested() {
                return steps[0] > 0;
            }

            @Override
            public String device() {
                return "cpu";
            }
        };
        io.oddball.api.Params p = io.oddball.api.Params.empty();
        KnnDetector d = new KnnDetectorProvider().create(p, stopAfterProgress);
        Batch x = random(3, 400, 8);
        assertThatThrownBy(() -> d.fitScore(io.oddball.api.data.Dataset.of("x", x), FitOptions.DEFAULTS))
                .isInstanceOf(io.oddball.api.error.OddballException.class).hasMessageContaining("stopped by the user");
        assertThat(tasks).containsExactly("knn: reference neighbours 400 rows");
        assertThat(steps[0]).isEqualTo(100);
        d.close();
    }
}
