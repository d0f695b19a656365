package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad data through the CLI against a fitted detector: wrong shapes, NaN/Inf values and {@code --nan-policy}, empty
 * and one-row inputs, labels missing or of the wrong length, out-of-range values, ragged and non-numeric CSV. Each
 * failure exits 1 (2 for a usage error) with one line naming the file and writes nothing to {@code --out}.
 */
class BadDataTest {
    static Path knn;
    static Path out;

    @BeforeAll
    static void fit() {
        knn = Fixtures.knn();
        out = Fixtures.folder("bad-data");
    }

    /** Rows of {@code normal.csv} with some cells replaced: {row, column, text}. */
    static Path csvWith(String name, Object[]... cells) throws IOException {
        List<String> lines = Files.readAllLines(Fixtures.csv("normal-" + name, 20, 0, 2));
        for (Object[] c : cells) {
            int line = (int) c[0] + 1;
            String[] parts = lines.get(line).split(",");
            parts[(int) c[1]] = (String) c[2];
            lines.set(line, String.join(",", parts));
        }
        return Fixtures.write(name, String.join("\n", lines) + "\n");
    }

    @Test
    void wrongFeatureCountIsRefusedNamingBothShapes() {
        Path four = Fixtures.write("four.csv", "a,b,c,d\n1,2,3,4\n5,6,7,8\n");
        Path csv = out.resolve("four-scores.csv");
        Cli.Run r = Cli.run("predict", knn, "--data", four, "--out", csv).failure();
        assertThat(r.err().strip()).isEqualTo("oddball: " + four + ": expected 5 values per instance (the detector's "
                + "input), found 4 values per instance");
        assertThat(csv).doesNotExist();
    }

    @Test
    void wrongChannelCountIsRefused() throws IOException {
        Path grey = npyImages("grey.npy", 40, 1);
        Path yaml = Fixtures.write("grey.yaml", "detector: {type: knn, k: 3}\ndata: {train: {path: " + grey + "}}\n");
        Path dir = out.resolve("grey-knn");
        Cli.run("fit", yaml, "--out", dir).ok();
        Path rgb = npyImages("rgb.npy", 4, 3);
        Path csv = out.resolve("rgb-scores.csv");
        Cli.Run r = Cli.run("predict", dir, "--data", rgb, "--out", csv).failure();
        assertThat(r.err().strip()).isEqualTo("oddball: " + rgb + ": expected instances of 8x8x1 (the detector's "
                + "input), found instances of 8x8x3");
        assertThat(csv).doesNotExist();
    }

    /** A float32 .npy of {@code n} images 8×8×channels. */
    static Path npyImages(String name, int n, int channels) throws IOException {
        Random r = new Random(n * 31L + channels);
        ByteBuffer data = ByteBuffer.allocate(4 * n * 64 * channels).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n * 64 * channels; i++) {
            data.putFloat(r.nextFloat());
        }
        Path p = Fixtures.ROOT.resolve(name);
        Files.write(p, Samples.npy("<f4", "(" + n + ", 8, 8, " + channels + ")", data.array()));
        return p;
    }

    @Test
    void nanAndInfinityAreRejectedByDefaultNamingTheInstance() throws IOException {
        Path nan = csvWith("nan.csv", new Object[] {6, 2, "NaN"});
        Path csv = out.resolve("nan-scores.csv");
        Cli.Run r = Cli.run("predict", knn, "--data", nan, "--out", csv).failure();
        assertThat(r.err()).contains(nan + ": instance 6, value 2: expected a finite number, found NaN; use "
                + "--nan-policy drop or impute to go on");
        assertThat(csv).doesNotExist();

        Path inf = csvWith("inf.csv", new Object[] {13, 0, "-Infinity"});
        Cli.Run e = Cli.run("evaluate", knn, "--in", inf, "--ood", inf).failure();
        assertThat(e.err()).contains(inf + ": instance 13, value 0: expected a finite number, found -Infinity");
        Cli.Run t = Cli.run("infer-threshold", knn, "--data", inf, "--percent", 90).failure();
        assertThat(t.err()).contains("instance 13, value 0");
    }

    @Test
    void dropLeavesRowsOutAndKeepsTheInputNumbering() throws IOException {
        Path clean = csvWith("clean.csv");
        Path dirty = csvWith("dirty.csv", new Object[] {3, 1, "NaN"}, new Object[] {11, 4, "Infinity"});
        Path all = out.resolve("all.csv");
        Path dropped = out.resolve("dropped.csv");
        Cli.run("predict", knn, "--data", clean, "--out", all).ok();
        Cli.Run r = Cli.run("predict", knn, "--data", dirty, "--out", dropped, "--nan-policy", "drop").ok();
        assertThat(r.out()).contains(dirty + ": 2 instances with NaN or infinite values dropped");
        List<String> expected = Files.readAllLines(all);
        expected.remove(12);
        expected.remove(4);
        assertThat(Files.readAllLines(dropped)).isEqualTo(expected);

        Cli.Run e = Cli.run("evaluate", knn, "--in", dirty, "--ood", clean, "--json", "--nan-policy", "drop").ok();
        assertThat(e.out()).contains("\"inCount\": 18").contains("\"oodCount\": 20");
        assertThat(e.err()).contains("2 instances with NaN or infinite values dropped");
        Path copy = Fixtures.copyOf(knn, Fixtures.folder("drop-threshold"));
        Cli.Run t = Cli.run("infer-threshold", copy, "--data", dirty, "--percent", 90, "--nan-policy", "drop").ok();
        assertThat(t.out()).contains("2 instances with NaN or infinite values dropped");
    }

    @Test
    void imputeReplacesNonFiniteValuesByZero() throws IOException {
        Path dirty = csvWith("impute.csv", new Object[] {5, 3, "NaN"});
        Path zero = csvWith("zero.csv", new Object[] {5, 3, "0"});
        Path imputed = out.resolve("imputed.csv");
        Path zeros = out.resolve("zeros.csv");
        Cli.Run r = Cli.run("predict", knn, "--data", dirty, "--out", imputed, "--nan-policy", "IMPUTE").ok();
        assertThat(r.out()).contains("1 instances with NaN or infinite values imputed with 0");
        Cli.run("predict", knn, "--data", zero, "--out", zeros).ok();
        assertThat(Files.readAllLines(imputed)).isEqualTo(Files.readAllLines(zeros));
    }

    @Test
    void anUnknownNanPolicyIsAUsageError() {
        Path csv = out.resolve("never.csv");
        Cli.Run r = Cli.run("predict", knn, "--data", Fixtures.csv("n.csv", 3, 0, 3), "--out", csv,
                "--nan-policy", "ignore").usageError();
        assertThat(r.err()).contains("--nan-policy: expected one of reject, drop, impute, found 'ignore'");
        assertThat(csv).doesNotExist();
    }

    @Test
    void emptyInputIsAnErrorAndOneRowIsScored() throws IOException {
        Path csv = out.resolve("empty-scores.csv");
        Path headerOnly = Fixtures.write("header-only.csv", "a,b,c,d,e\n");
        assertThat(Cli.run("predict", knn, "--data", headerOnly, "--out", csv).failure().err())
                .contains(headerOnly + ": expected at least one instance, found none");
        Path empty = Fixtures.write("empty.csv", "");
        assertThat(Cli.run("predict", knn, "--data", empty, "--out", csv).failure().err())
                .contains(empty + ": expected a header or a row, found an empty file");
        Path allNan = Fixtures.write("all-nan.csv", "a,b,c,d,e\nNaN,1,1,1,1\n");
        assertThat(Cli.run("predict", knn, "--data", allNan, "--out", csv, "--nan-policy", "drop").failure().err())
                .contains(allNan + ": expected at least one instance, found none");
        assertThat(csv).doesNotExist();

        Path one = Fixtures.csv("one.csv", 1, 0, 4);
        Cli.run("predict", knn, "--data", one, "--out", csv).ok();
        assertThat(Files.readAllLines(csv)).hasSize(2);
    }

    @Test
    void fittingOnEmptyOrOneRowData() {
        Path headerOnly = Fixtures.write("fit-empty.csv", "a,b,c,d,e\n");
        Path yaml = Fixtures.write("fit-empty.yaml", "detector: {type: knn}\ndata: {train: {path: " + headerOnly
                + "}}\n");
        Path dir = out.resolve("fit-empty");
        Cli.Run r = Cli.run("fit", yaml, "--out", dir).failure();
        assertThat(r.err()).contains(headerOnly + ": expected at least one instance, found none");
        assertThat(dir).doesNotExist();

        Path nan = Fixtures.write("fit-nan.csv", "a,b,c,d,e\n1,2,3,4,5\n1,2,3,4,5\n1,2,Infinity,4,5\n");
        Path yamlNan = Fixtures.write("fit-nan.yaml", "detector: {type: knn}\ndata: {train: {path: " + nan + "}}\n");
        Cli.Run n = Cli.run("fit", yamlNan, "--out", dir).failure();
        assertThat(n.err()).contains(nan + ": instance 2: expected finite values, found NaN or infinity (clean the "
                + "data or drop such rows)");
        assertThat(dir).doesNotExist();

        Path one = Fixtures.csv("fit-one.csv", 1, 0, 5);
        Path yaml1 = Fixtures.write("fit-one.yaml", "detector: {type: knn}\ndata: {train: {path: " + one + "}}\n");
        Path dir1 = out.resolve("fit-one");
        Cli.Run r1 = Cli.run("fit", yaml1, "--out", dir1).failure();
        assertThat(r1.err()).contains("knn: " + one + ": expected at least 2 reference instances, found 1");
        assertThat(dir1).doesNotExist();
    }

    @Test
    void labelsMissingOrOfTheWrongLength() throws IOException {
        Path train = Fixtures.csv("unlabelled.csv", 30, 0, 6);
        Path yaml = Fixtures.write("best-f1.yaml", "detector: {type: knn}\ndata: {train: {path: " + train
                + "}}\nthreshold: {type: best-f1}\n");
        Path dir = out.resolve("best-f1");
        Cli.Run r = Cli.run("fit", yaml, "--out", dir).usageError();
        assertThat(r.err()).contains(yaml + ":3 threshold: 'best-f1' needs labelled data (1 = outlier): expected "
                + "threshold.data with labels, found " + train + " without labels");
        assertThat(dir).doesNotExist();

        Path x = npyImages("x.npy", 20, 1);
        ByteBuffer labels = ByteBuffer.allocate(8 * 7).order(ByteOrder.LITTLE_ENDIAN);
        Path y = Fixtures.ROOT.resolve("y-short.npy");
        Files.write(y, Samples.npy("<i8", "(7,)", labels.array()));
        Cli.Run e = Cli.run("evaluate", knn, "--in", x, "--ood", x, "-O", "labels=" + y).failure();
        assertThat(e.err()).contains(y + ": the .npy header at byte offset 0: expected 20 labels");

        Path badLabel = Fixtures.write("bad-label.csv", "a,b,c,d,e,label\n1,2,3,4,5,0\n1,2,3,4,5,x\n");
        Cli.Run l = Cli.run("evaluate", knn, "--in", badLabel, "--ood", badLabel, "-O", "labelColumn=label")
                .failure();
        assertThat(l.err()).contains(badLabel + ": line 3, column 'label' (index 5): expected an integer label, "
                + "found 'x'");
    }

    @Test
    void valuesFarOutsideTheTrainingRangeAreScoredFinite() throws IOException {
        Path wild = csvWith("wild.csv", new Object[] {0, 0, "3e38"}, new Object[] {1, 1, "-3e38"},
                new Object[] {2, 2, "300"}, new Object[] {3, 3, "1e-45"});
        Path csv = out.resolve("wild-scores.csv");
        Cli.run("predict", knn, "--data", wild, "--out", csv).ok();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            assertThat(Float.parseFloat(line.split(",")[1])).as(line).isFinite();
        }
    }

    @Test
    void raggedRowsAndNonNumericCellsNameLineAndColumn() {
        Path csv = out.resolve("never-ragged.csv");
        Path ragged = Fixtures.write("ragged.csv", "a,b,c,d,e\n1,2,3,4,5\n1,2,3,4\n");
        assertThat(Cli.run("predict", knn, "--data", ragged, "--out", csv).failure().err())
                .contains(ragged + ": line 3: expected 5 columns (as the header), found 4");
        Path text = Fixtures.write("text.csv", "a,b,c,d,e\n1,2,3,4,5\n1,2,three,4,5\n");
        assertThat(Cli.run("predict", knn, "--data", text, "--out", csv).failure().err())
                .contains(text + ": line 3, column 'c' (index 2): expected a number, found 'three'");
        assertThat(csv).doesNotExist();
    }
}
