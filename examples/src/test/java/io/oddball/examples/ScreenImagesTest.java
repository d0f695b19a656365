package io.oddball.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's Java example ({@link ScreenImages}, whose text the README shows: {@code ReadmeTest} checks they
 * are the same) on the shipped data, in an Oddball folder of its own: it fits the demo autoencoder on MNIST digits,
 * saves and loads it, and passes the digit while refusing the pullover and the truck.
 */
class ScreenImagesTest {
    private static final Path ROOT = Path.of(System.getProperty("oddball.root", "..")).toAbsolutePath().normalize();
    private static final Pattern LINE = Pattern.compile(
            "(data/photos/[a-z0-9-]+\\.png): score ([0-9.]+), threshold ([0-9.]+): (refused|passed to the classifier)");

    @Test
    void theReadmeExampleScreensThePhotosWithTheDetectorItSaved() throws IOException {
        // surefire's working directory (target/example-run): the checkout's pipelines and data, an out/ of its own
        Path here = Path.of("").toAbsolutePath();
        for (String name : new String[] {"pipelines", "data"}) {
            Path link = here.resolve(name);
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, ROOT.resolve(name));
        }
        ReadmeTest.deleteRecursively(here.resolve("out"));

        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ScreenImages.main(new String[0]);
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        stdout.print(out);

        assertThat(here.resolve("out/screen/detector.yaml")).isRegularFile();
        assertThat(Files.readString(here.resolve("out/screen/detector.yaml"))).contains("type: ae");
        Map<String, String> verdicts = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        double threshold = Double.NaN;
        Matcher m = LINE.matcher(out);
        while (m.find()) {
            verdicts.put(m.group(1), m.group(4));
            scores.put(m.group(1), Double.parseDouble(m.group(2)));
            threshold = Double.parseDouble(m.group(3));
        }
        assertThat(verdicts).containsExactly(Map.entry("data/photos/digit-7.png", "passed to the classifier"),
                Map.entry("data/photos/pullover.png", "refused"), Map.entry("data/photos/truck.png", "refused"));
        // the demo autoencoder's threshold is the 95th percentile of its training errors (about 0.03); the digit
        // it never saw scores well below it, the pullover and the truck (a grey CIFAR-10 photo) well above
        assertThat(threshold).isBetween(0.005, 0.1);
        assertThat(scores.get("data/photos/digit-7.png")).isLessThan(0.8 * threshold);
        assertThat(scores.get("data/photos/pullover.png")).isGreaterThan(2 * threshold);
        assertThat(scores.get("data/photos/truck.png")).isGreaterThan(2 * threshold);
    }
}
