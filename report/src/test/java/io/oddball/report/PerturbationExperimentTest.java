package io.oddball.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.data.Dataset;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.pipeline.PipelineSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alibi's perturbation experiment on real small detectors trained in the test. */
class PerturbationExperimentTest {
    @TempDir
    Path tmp;

    private static PerturbationExperiment.Options options(int... sizes) {
        return new PerturbationExperiment.Options(java.util.Arrays.stream(sizes)
                .mapToObj(s -> new MaskNoise.Size(s, s)).toList(), 4, 20,
                new MaskNoise(MaskNoise.Type.UNIFORM, 0, 1, 0, 1), 0, new double[] {50, 100}, 64);
    }

    @Test
    void largerMasksRaiseTheMeanScoreOfATrainedAutoencoderAndZeroMasksChangeNothing() throws Exception {
        PipelineSpec spec = ReportFixtures.ae(tmp, 3);
        Dataset digits = ReportFixtures.ODDBALL.openData(ReportFixtures.MNIST, null, Map.of("offset", 1600));
        PerturbationExperiment e = new PerturbationExperiment();
        try (Pipeline p = ReportFixtures.fit(spec)) {
            PerturbationExperiment.Result r = e.run(p, digits, options(0, 4, 12), () -> false);
            assertThat(r.images()).isEqualTo(20);
            double[] m = r.meanScores();
            assertThat(m[0]).isCloseTo(r.baseline(), within(1e-6 * r.baseline()));
            assertThat(m[1]).isGreaterThan(m[0] * 1.05);
            assertThat(m[2]).isGreaterThan(m[1] * 1.05);
            assertThat(r.flagged()).containsOnlyKeys("outlierPerc 50", "outlierPerc 100");
            double[] all = r.flagged().get("outlierPerc 100");
            assertThat(all[2]).isGreaterThan(all[0]);
            // deterministic for a seed
            PerturbationExperiment.Result again = e.run(p, digits, options(0, 4, 12), () -> false);
            assertThat(again.meanScores()).containsExactly(m);

            Path html = tmp.resolve("perturb.html");
            List<Path> pngs = e.write(r, "ae", digits.name(), html, tmp.resolve("png"), Charts.Size.DEFAULT);
            assertThat(pngs).hasSize(3);
            BufferedImage chart = ImageIO.read(pngs.get(0).toFile());
            assertThat(chart.getWidth()).isEqualTo(Charts.Size.DEFAULT.width());
            assertThat(chart.getHeight()).isEqualTo(Charts.Size.DEFAULT.height());
            assertThat(ImageIO.read(pngs.get(2).toFile())).isNotNull();
            assertThat(ReportWriterTest.sectionIds(ReportWriterTest.parse(html)))
                    .containsExactly("table", "mean-score", "flagged", "masks");
            assertThat(ReportWriterTest.embeddedImages(ReportWriterTest.parse(html))).hasSize(3);
            Path csv = tmp.resolve("perturb.csv");
            e.write(r, "ae", digits.name(), csv, null, Charts.Size.DEFAULT);
            List<String> lines = Files.readAllLines(csv);
            assertThat(lines).hasSize(4);
            assertThat(lines.get(0)).isEqualTo("mask_size,mean_score,flagged_outlierPerc_50,flagged_outlierPerc_100");
            assertThat(lines.get(3)).startsWith("12x12,");
        }
    }

    @Test
    void detectorsWithoutFeatureScoresGetOneFlaggedSeries() throws Exception {
        PipelineSpec spec = ReportFixtures.knn(tmp);
        try (Pipeline p = ReportFixtures.fit(spec)) {
            PerturbationExperiment.Result r = new PerturbationExperiment().run(p, spec.evaluateIn(),
                    options(0, 8), () -> false);
            assertThat(r.flagged()).containsOnlyKeys(PerturbationExperiment.INSTANCE_SCORE);
            assertThat(r.meanScores()[0]).isCloseTo(r.baseline(), within(1e-6));
            assertThat(r.meanScores()[1]).isGreaterThan(r.meanScores()[0]);
        }
    }
}
