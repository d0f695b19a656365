package io.oddball.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.cli.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oddball report}, {@code perturb} and the demo's report, in-process: exit codes, output files, help. */
class ReportCliTest {
    static final Path FASHION = Path.of("../data/fashion-mnist/fashion-mnist-test-2000-images-idx3-ubyte.gz")
            .toAbsolutePath().normalize();
    static final Path MNIST = Path.of("../data/mnist/mnist-test-2000-images-idx3-ubyte.gz").toAbsolutePath()
            .normalize();

    @TempDir
    static Path tmp;

    static Path knn;

    @BeforeAll
    static void fitKnn() throws Exception {
        knn = CliTest.fit(tmp, "knn", "detector: {type: knn}\ndata: {train: {path: " + FASHION + ", limit: 300}}\n"
                + "preprocess: [{scale: 255}]\n");
    }

    @Test
    void helpOfTheNewCommands() {
        for (String c : List.of("report", "perturb")) {
            Run h = CliTest.run(c, "--help");
            assertThat(h.code()).as(c).isZero();
            assertThat(h.out()).as(c).contains("Usage: oddball " + c);
        }
        assertThat(CliTest.run("perturb", "--help").out()).contains("--mask-sizes").contains("--n-masks")
                .contains("--noise-range").contains("--clip").contains("--outlier-perc").contains("--seed");
        assertThat(CliTest.run("report", "--help").out()).contains("--png").contains("--top");
        assertThat(CliTest.run("demo", "--help").out()).contains("--report");
    }

    @Test
    void reportWritesHtmlAndPngs() throws Exception {
        Path out = tmp.resolve("r/report.html");
        Path png = tmp.resolve("r/png");
        Run r = CliTest.run("report", knn.toString(), "--in", FASHION.toString(), "--ood", MNIST.toString(),
                "-O", "offset=1900", "--ood-option", "limit=100", "--out", out.toString(), "--png", png.toString(),
                "--top", "4");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("report written to").contains("sections: metrics, instance-scores")
                .contains("note: outliers: detector 'knn' gives no reconstruction").contains("5 PNG files");
        assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>").contains("<section id=\"outliers\">");
        assertThat(ImageIO.read(png.resolve("roc.png").toFile()).getWidth()).isEqualTo(io.oddball.report.Charts.Size.DEFAULT.width());
    }

    @Test
    void perturbWritesCsvAndHtml() throws Exception {
        Path csv = tmp.resolve("p/perturb.csv");
        Run r = CliTest.run("perturb", knn.toString(), "--data", FASHION.toString(), "--n-images", "5",
                "--n-masks", "2", "--mask-sizes", "0,6x4", "--noise", "normal", "--noise-range", "0,0.5", "--out",
                csv.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllLines(csv)).hasSize(3).first().isEqualTo("mask_size,mean_score,flagged_instance_score");
        assertThat(r.out()).contains("6x4,");
        Path html = tmp.resolve("p/perturb.html");
        Run h = CliTest.run("perturb", knn.toString(), "--data", FASHION.toString(), "--n-images", "3",
                "--n-masks", "1", "--mask-sizes", "4", "--noise", "zeros", "--out", html.toString());
        assertThat(h.code()).as(h.err()).isZero();
        assertThat(Files.readString(html)).contains("<section id=\"flagged\">");
    }

    @Test
    void badOptionsAndMissingDataExitTwo() {
        Run noise = CliTest.run("perturb", knn.toString(), "--data", FASHION.toString(), "--noise", "salt");
        assertThat(noise.code()).isEqualTo(2);
        assertThat(noise.err()).contains("--noise: expected uniform, normal or zeros, found 'salt'");
        Run big = CliTest.run("perturb", knn.toString(), "--data", FASHION.toString(), "--mask-sizes", "28");
        assertThat(big.code()).isEqualTo(2);
        assertThat(big.err()).contains("mask size: expected less than the image size 28x28, found 28x28");
        Run range = CliTest.run("perturb", knn.toString(), "--data", FASHION.toString(), "--clip", "1");
        assertThat(range.code()).isEqualTo(2);
        assertThat(CliTest.run("report", knn.toString(), "--in", FASHION.toString()).code()).isEqualTo(2);
        assertThat(CliTest.run("report", knn.toString(), "--in", FASHION.toString(), "--ood", MNIST.toString(),
                "--top", "-1").code()).isEqualTo(2);
        Run missing = CliTest.run("report", knn.toString(), "--in", tmp.resolve("nothing.npy").toString(),
                "--ood", MNIST.toString(), "--out", tmp.resolve("never.html").toString());
        // a path that does not exist is a usage error
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("oddball: --in " + tmp.resolve("nothing.npy") + ": expected an "
                + "existing file or folder, found nothing");
        assertThat(tmp.resolve("never.html")).doesNotExist();
    }

    @Test
    void demoWritesItsReport() throws Exception {
        Path report = tmp.resolve("demo/demo-report.html");
        CliTest.withProperty("oddball.home", CliTest.CHECKOUT, () -> {
            Run r = CliTest.run("demo", "--out", tmp.resolve("demo-out").toString(), "--report", report.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("AUROC").contains("report written to " + report);
        });
        assertThat(Files.readString(report)).contains("<section id=\"roc\">");
    }

    @Test
    void demoNeverWritesItsReportOverAPluginJarInUse() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Path jar = io.oddball.runtime.plugin.PluginJars.build(plugins.resolve("stub.jar"), java.util.Map.of(
                "com.example.s.Stub", io.oddball.runtime.plugin.PluginJars.stubProviderSource("com.example.s", "Stub",
                        "stub", "")), java.util.Map.of(io.oddball.api.DetectorProvider.class.getName(),
                "com.example.s.Stub\n"), "1.0");
        byte[] before = Files.readAllBytes(jar);
        CliTest.withProperty("oddball.home", CliTest.CHECKOUT, () -> {
            Run r = CliTest.run("--plugins", plugins.toString(), "demo", "--out", tmp.resolve("demo-out").toString(),
                    "--report", jar.toString());
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("oddball: --report " + jar + ": expected a path that is not an input, "
                    + "found the same file as the plugin " + jar + "; choose another path (nothing was written)");
        });
        assertThat(Files.readAllBytes(jar)).isEqualTo(before);
    }
}
