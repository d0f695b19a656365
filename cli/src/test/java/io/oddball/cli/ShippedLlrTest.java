package io.oddball.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.cli.CliTest.Run;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The likelihood-ratio detector that ships in models/ loads on a fresh clone and shows the paper's point on the
 * shipped slices (Fashion-MNIST test images in, MNIST test images out): the ratio separates them, plain likelihood
 * ranks them the wrong way round.
 */
class ShippedLlrTest {
    static final Path MODEL = Path.of("../models/fashion-mnist-llr").toAbsolutePath().normalize();

    @Test
    void theShippedDetectorSeparatesMnistFromFashionWhereLikelihoodFails() {
        Run r = CliTest.run("evaluate", MODEL.toString(), "--in", ReportCliTest.FASHION.toString(), "--ood",
                ReportCliTest.MNIST.toString(), "-O", "limit=300", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        double llr = number(r.out(), "^\\{\"auroc\": ?([0-9.]+)");
        double likelihood = number(r.out(), "\"likelihood\": ?\\{\"auroc\": ?([0-9.]+)");
        assertThat(llr).as(r.out()).isGreaterThan(0.95);
        assertThat(likelihood).as(r.out()).isLessThan(0.2);
        double f1 = number(r.out(), "\"f1\": ?([0-9.]+)");
        assertThat(f1).as(r.out()).isGreaterThan(0.85);
    }

    private static double number(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json.strip());
        assertThat(m.find()).as("%s in %s", regex, json).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
