package io.oddball.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.data.Batch;
import io.oddball.runtime.Oddball;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process: exit codes, messages, and the fit → predict → infer-threshold → evaluate loop. */
class CliTest {
    /** cleanlab's reference arrays (copied into the KNN module's test resources). */
    static final Path REF = Path.of("../detector-knn/src/test/resources/reference/knn-cosine").toAbsolutePath()
            .normalize();

    @TempDir
    static Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Writes the pipeline {@code yaml} to {@code dir/name.yaml} and fits it into {@code dir/name}, which it returns. */
    static Path fit(Path dir, String name, String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve(name + ".yaml"), yaml);
        Path out = dir.resolve(name);
        Run fit = run("fit", file.toString(), "--out", out.toString());
        assertThat(fit.code()).as(fit.err()).isZero();
        return out;
    }

    /** The checkout, which the launcher makes {@code oddball.home}: the demos are its pipelines/demo-*.yaml. */
    static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();

    /** Code of a test that may throw. */
    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} with the system property {@code key} set to {@code value}, then restores the old value. */
    static void withProperty(String key, Object value, Body body) throws Exception {
        String before = System.getProperty(key);
        System.setProperty(key, value.toString());
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    static Path pipeline;

    @BeforeAll
    static void writePipeline() throws Exception {
        pipeline = tmp.resolve("knn-reference.yaml");
        Files.writeString(pipeline, """
                detector:
                  type: knn
                data:
                  train: {path: %s}
                threshold: {type: percentile, percent: 95}
                """.formatted(REF.resolve("train.npy")));
    }

    @Test
    void versionAndHelp() {
        Run v = run("--version");
        assertThat(v.code()).isZero();
        assertThat(v.out()).startsWith("oddball 0.1.0 (api " + io.oddball.api.Api.VERSION + ",");
        for (String c : List.of("fit", "predict", "infer-threshold", "evaluate", "plugins", "demo")) {
            Run h = run(c, "--help");
            assertThat(h.code()).as(c).isZero();
            assertThat(h.out()).as(c).contains("Usage: oddball " + c);
        }
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        Run r = run("fit");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required").contains("Try 'oddball fit --help'");
        Run u = run("frobnicate");
        assertThat(u.code()).isEqualTo(2);
        Run precision = run("--precision", "half", "plugins");
        assertThat(precision.code()).isEqualTo(2);
        assertThat(precision.err()).contains("--precision: expected float32 or bfloat16, found 'half'");
    }

    @Test
    void precisionReachesTheDetectorsContextBeforeOrAfterTheCommand() {
        for (String[] args : List.of(new String[] {"--precision", "bfloat16", "plugins"},
                new String[] {"plugins", "--precision", "bfloat16"})) {
            OddballCommand root = new OddballCommand();
            new picocli.CommandLine(root).parseArgs(args);
            assertThat(root.context().settings()).as(String.join(" ", args))
                    .containsEntry(io.oddball.api.DetectorContext.PRECISION, "bfloat16");
        }
    }

    @Test
    void aBadPipelineExitsTwoNamingFileLineAndPath() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "detector:\n  type: knn\n  kk: 3\ndata: {train: {path: nowhere.npy}}\n");
        Run r = run("fit", bad.toString(), "--out", tmp.resolve("never").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(bad + ":3 detector.kk: unknown key; did you mean 'k'?")
                .contains(bad + ":4 data.train.path: expected an existing file or folder")
                .doesNotContain("Exception");
        assertThat(tmp.resolve("never")).doesNotExist();
    }

    @Test
    void corruptDataExitsOne() throws Exception {
        Path out = tmp.resolve("fitted-for-corrupt");
        assertThat(run("fit", pipeline.toString(), "--out", out.toString()).code()).isZero();
        Path broken = tmp.resolve("broken.npy");
        byte[] full = Files.readAllBytes(REF.resolve("test.npy"));
        Files.write(broken, java.util.Arrays.copyOf(full, 1000));
        Path csv = tmp.resolve("never.csv");
        Run r = run("predict", out.toString(), "--data", broken.toString(), "--out", csv.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("broken.npy");
        assertThat(csv).doesNotExist();
    }

    @Test
    void fitPredictReproducesCleanlabAndThresholdAndEvaluateWork() throws Exception {
        Path dir = tmp.resolve("knn");
        Run fit = run("fit", pipeline.toString(), "--out", dir.toString());
        assertThat(fit.code()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("fitted 'knn'").contains("2000 instances");

        Path csv = tmp.resolve("scores.csv");
        Run predict = run("predict", dir.toString(), "--data", REF.resolve("test.npy").toString(), "--out",
                csv.toString());
        assertThat(predict.code()).as(predict.err()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("index,instance_score,is_outlier");
        assertThat(lines).hasSize(501);

        Oddball o = Oddball.create(List.of());
        Batch cleanlab = o.openData(REF.resolve("test_scores.npy"), null, Map.of()).readAll();
        for (int i = 0; i < 500; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertThat(Integer.parseInt(f[0])).isEqualTo(i);
            assertThat(Double.parseDouble(f[1])).as("row %d", i).isCloseTo(1 - cleanlab.get(i, 0), within(1e-5));
        }

        Run json = run("predict", dir.toString(), "--data", REF.resolve("test.npy").toString(), "--out",
                tmp.resolve("scores.json").toString());
        assertThat(json.code()).isZero();
        assertThat(Files.readString(tmp.resolve("scores.json"))).startsWith("{\"meta\": {\"detector\": \"knn\"")
                .contains("\"predictions\": [");
        Run npy = run("predict", dir.toString(), "--data", REF.resolve("test.npy").toString(), "--out",
                tmp.resolve("scores.npy").toString());
        assertThat(npy.code()).isZero();
        byte[] bytes = Files.readAllBytes(tmp.resolve("scores.npy"));
        assertThat(bytes.length).isEqualTo(192 + 500 * 5);

        Run infer = run("infer-threshold", dir.toString(), "--data", REF.resolve("test.npy").toString(),
                "--percent", "50");
        assertThat(infer.code()).as(infer.err()).isZero();
        assertThat(Files.readString(dir.resolve("detector.yaml"))).contains("percent: 50.0");

        // test.npy: first half normal, second half shifted (test_is_ood.npy)
        Path in = REF.resolve("test.npy");
        Run eval = run("evaluate", dir.toString(), "--in", in.toString(), "--ood", in.toString(), "--json",
                "-O", "limit=250", "--ood-option", "offset=250");
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out().trim()).startsWith("{\"auroc\": ").contains("\"aupr\": ").contains("\"fpr95\": ")
                .contains("\"f1\": ").contains("\"accuracy\": ").contains("\"precision\": ").contains("\"recall\": ");
        double auroc = Double.parseDouble(eval.out().trim().replaceAll("^\\{\"auroc\": ([0-9.Ee-]+),.*$", "$1"));
        assertThat(auroc).isGreaterThan(0.9);
    }

    @Test
    void pluginsListsEveryKind() {
        Run r = run("plugins");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("detector   knn").contains("scorer     top-percent")
                .contains("threshold  percentile").contains("reader     npy").contains("embedder   saved-model");
    }

    @Test
    void aDetectorSavedHereScoresIdenticallyInAnotherJvm() throws Exception {
        Path dir = tmp.resolve("knn-other-jvm");
        assertThat(run("fit", pipeline.toString(), "--out", dir.toString()).code()).isZero();
        Path here = tmp.resolve("here.csv");
        assertThat(run("predict", dir.toString(), "--data", REF.resolve("test.npy").toString(), "--out",
                here.toString()).code()).isZero();
        Path there = tmp.resolve("there.csv");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "predict", dir.toString(), "--data",
                REF.resolve("test.npy").toString(), "--out", there.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(Files.readAllLines(there)).isEqualTo(Files.readAllLines(here));
    }

    @Test
    void aPhotoOfAnySizeIsResizedToTheDetectorsInput() throws Exception {
        Path cifar = Path.of("../data/cifar10/cifar10-data-batch-1-first1000.bin.gz").toAbsolutePath().normalize();
        Path yaml = tmp.resolve("cifar-knn.yaml");
        Files.writeString(yaml, "detector: {type: knn}\ndata: {train: {path: " + cifar + "}}\n"
                + "preprocess: [{scale: 255}]\n");
        Path dir = tmp.resolve("cifar-knn");
        assertThat(run("fit", yaml.toString(), "--out", dir.toString()).code()).isZero();
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(97, 61,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 61; y++) {
            for (int x = 0; x < 97; x++) {
                img.setRGB(x, y, (x * 2) << 16 | (y * 4) << 8 | 40);
            }
        }
        Path photo = tmp.resolve("photo.jpg");
        javax.imageio.ImageIO.write(img, "jpg", photo.toFile());
        Path out = tmp.resolve("photo.csv");
        Run r = run("predict", dir.toString(), "--data", photo.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(2).element(1).asString().startsWith("0,");
    }
}
