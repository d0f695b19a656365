package io.oddball.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.cli.CliTest.Run;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oddball maps} and {@code oddball sample} in-process with a tiny real LLR detector (one PixelCNN++ hierarchy
 * of 8 filters, one epoch on 64 Fashion-MNIST images): the PNG files, their sizes, and the error paths.
 */
class MapsCliTest {
    static final Path FASHION = ReportCliTest.FASHION;
    static final Path MNIST = ReportCliTest.MNIST;

    @TempDir
    static Path tmp;

    static Path llr;
    static Path knn;

    @BeforeAll
    static void fitTinyDetectors() throws Exception {
        llr = CliTest.fit(tmp, "llr", """
                detector:
                  type: llr
                  numResnet: 1
                  numHierarchies: 1
                  numFilters: 8
                  fit: {epochs: 1, batchSize: 32, seed: 1}
                data:
                  train: {path: %s, limit: 64}
                scorer: {type: sum}
                """.formatted(FASHION));
        knn = CliTest.fit(tmp, "knn", "detector: {type: knn}\ndata: {train: {path: " + FASHION + ", limit: 100}}\n");
    }

    @Test
    void helpOfTheCommands() {
        assertThat(CliTest.run("maps", "--help").out()).contains("Usage: oddball maps").contains("--limit")
                .contains("--offset").contains("--data");
        assertThat(CliTest.run("sample", "--help").out()).contains("Usage: oddball sample").contains("--n")
                .contains("--model").contains("--seed");
        assertThat(CliTest.run("report", "--help").out()).contains("--samples");
        assertThat(CliTest.run("--help").out()).contains("maps").contains("sample");
    }

    @Test
    void mapsWritesOnePngPerImageAndTheyDifferBetweenFashionAndMnist() throws Exception {
        Path fashion = tmp.resolve("maps-fashion");
        Run r = CliTest.run("maps", llr.toString(), "--data", FASHION.toString(), "--offset", "1000", "--limit",
                "2", "--out", fashion.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("map-1000.png").contains("map-1001.png")
                .contains("2 map images written to").contains("log_prob_semantic, log_prob_background, llr");
        assertThat(list(fashion)).containsExactly("map-1000.png", "map-1001.png");
        Path mnist = tmp.resolve("maps-mnist");
        Run m = CliTest.run("maps", llr.toString(), "--data", MNIST.toString(), "--limit", "1", "--out",
                mnist.toString());
        assertThat(m.code()).as(m.err()).isZero();
        assertThat(list(mnist)).containsExactly("map-0.png");

        BufferedImage a = ImageIO.read(fashion.resolve("map-1000.png").toFile());
        BufferedImage b = ImageIO.read(mnist.resolve("map-0.png").toFile());
        // input + 3 maps side by side, each 28 x 6 = 168 pixels wide and high
        assertThat(a.getWidth()).isGreaterThanOrEqualTo(4 * 168);
        assertThat(a.getHeight()).isGreaterThan(168).isLessThan(2 * 168);
        assertThat(b.getHeight()).isEqualTo(a.getHeight());
        // the tiles (below the caption) differ: other input, other maps
        int y = a.getHeight() / 2;
        long differing = 0;
        for (int x = 0; x < Math.min(a.getWidth(), b.getWidth()); x++) {
            differing += a.getRGB(x, y) != b.getRGB(x, y) ? 1 : 0;
        }
        assertThat(differing).isGreaterThan(100);
    }

    @Test
    void evaluateReportsEveryOtherScoreBesideTheDetectorsOwn() {
        Run r = CliTest.run("evaluate", llr.toString(), "--in", FASHION.toString(), "--ood", MNIST.toString(),
                "-O", "limit=40", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("\"alternatives\": ?\\{\"llr\": ?\\{\"auroc\": ?0\\.\\d+")
                .containsPattern("\"likelihood\": ?\\{\"auroc\": ?0\\.\\d+")
                .containsPattern("\"complexity\": ?\\{\"auroc\": ?0\\.\\d+")
                .containsPattern("\"typicality\": ?\\{\"auroc\": ?0\\.\\d+").contains("\"score\": \"combined\"");
        Run table = CliTest.run("evaluate", llr.toString(), "--in", FASHION.toString(), "--ood", MNIST.toString(),
                "-O", "limit=40");
        assertThat(table.out()).contains("score 'combined':").contains("alternative score 'llr':")
                .contains("alternative score 'likelihood':");
    }

    @Test
    void resumeWithoutACheckpointIsAUsageError() {
        Path out = tmp.resolve("never-fitted");
        Run r = CliTest.run("fit", tmp.resolve("llr.yaml").toString(), "--out", out.toString(), "--resume");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--resume: expected a checkpoint folder").contains("never-fitted.checkpoint");
        assertThat(out).doesNotExist();
    }

    @Test
    void sampleWritesAGridOfTwoImages() throws Exception {
        Path out = tmp.resolve("samples/background.png");
        Run r = CliTest.run("sample", llr.toString(), "--n", "2", "--model", "background", "--seed", "3", "--out",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 samples of the background model").contains(out.toString());
        BufferedImage img = ImageIO.read(out.toFile());
        // 2 side by side, 28 x 3 = 84 pixels each, under a caption
        assertThat(img.getWidth()).isGreaterThanOrEqualTo(2 * 84);
        assertThat(img.getHeight()).isGreaterThan(84).isLessThan(2 * 84);
        assertThat(list(out.getParent())).containsExactly("background.png");
    }

    @Test
    void badArgumentsExitTwoWithOneLineAndWriteNothing() throws Exception {
        Path never = tmp.resolve("never");
        Run noMaps = CliTest.run("maps", knn.toString(), "--data", FASHION.toString(), "--out", never.toString());
        assertThat(noMaps.code()).isEqualTo(2);
        assertThat(noMaps.err().trim()).isEqualTo("oddball: maps: expected a detector with per-value maps "
                + "(FeatureMaps, such as llr), found 'knn'");
        Run noSampler = CliTest.run("sample", knn.toString(), "--out", never.resolve("s.png").toString());
        assertThat(noSampler.code()).isEqualTo(2);
        assertThat(noSampler.err()).contains("found 'knn'");
        Run limit = CliTest.run("maps", llr.toString(), "--data", FASHION.toString(), "--limit", "0", "--out",
                never.toString());
        assertThat(limit.code()).isEqualTo(2);
        assertThat(limit.err().trim()).isEqualTo("oddball: --limit: expected an integer >= 1, found 0");
        Run offset = CliTest.run("maps", llr.toString(), "--data", FASHION.toString(), "--offset", "-3", "--out",
                never.toString());
        assertThat(offset.code()).isEqualTo(2);
        assertThat(offset.err()).contains("--offset: expected an integer >= 0, found -3");
        Run n = CliTest.run("sample", llr.toString(), "--n", "0", "--out", never.resolve("s.png").toString());
        assertThat(n.code()).isEqualTo(2);
        assertThat(n.err()).contains("--n: expected an integer >= 1, found 0");
        Run model = CliTest.run("sample", llr.toString(), "--model", "foreground", "--out",
                never.resolve("s.png").toString());
        assertThat(model.code()).isEqualTo(2);
        assertThat(model.err().trim()).isEqualTo("oddball: --model: expected one of semantic, background, found "
                + "'foreground'");
        Run png = CliTest.run("sample", llr.toString(), "--out", never.resolve("s.jpg").toString());
        assertThat(png.code()).isEqualTo(2);
        assertThat(png.err()).contains("--out: expected a .png file, found '" + never.resolve("s.jpg") + "'");
        Run past = CliTest.run("maps", llr.toString(), "--data", FASHION.toString(), "--offset", "5000", "--out",
                never.toString());
        assertThat(past.code()).isEqualTo(1);
        assertThat(past.err()).contains("expected more than 5000 instances (--offset), found 2000");
        assertThat(never).doesNotExist();
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
