package io.oddball.runtime.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.Progress;
import io.oddball.api.data.Npy;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.data.NanPolicy;
import io.oddball.runtime.eval.EvaluationResult;
import io.oddball.runtime.pipeline.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress of scoring with a real KNN pipeline: log lines (no terminal) count the instances scored against the total
 * when the data know it, and without a total when they do not; nothing is shown for work shorter than the delay.
 */
class ScoringProgressTest {
    @TempDir
    static Path tmp;

    static Oddball oddball;
    static Path train;
    static Path normal;
    static Path shifted;

    @BeforeAll
    static void data() throws Exception {
        oddball = Oddball.create(List.of());
        Random r = new Random(3);
        train = npy("train.npy", r, 200, 0);
        normal = npy("normal.npy", r, 70, 0);
        shifted = npy("shifted.npy", r, 50, 4);
    }

    /** {@code n} rows of 3 features around {@code shift}, as a .npy file (whose reader knows the count). */
    static Path npy(String name, Random r, int n, double shift) {
        float[] v = new float[n * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((i % 3 == 1 ? 0 : shift) + r.nextGaussian());
        }
        Path file = tmp.resolve(name);
        Npy.write(file, new int[] {n, 3}, v);
        return file;
    }

    static Pipeline fit(RuntimeContext ctx) throws Exception {
        Path yaml = Files.writeString(tmp.resolve("knn.yaml"), "detector: {type: knn, k: 5}\ndata: {train: {path: "
                + train + "}}\n");
        return oddball.fit(yaml, ctx);
    }

    /** A context whose scoring progress writes log lines to {@code lines} at every step, from the start. */
    static RuntimeContext logging(List<String> lines, Duration delay) {
        return new RuntimeContext("cpu", true).withScoringProgress(new ConsoleProgress.Settings(false, delay,
                Duration.ZERO, lines::add));
    }

    static List<Long> counts(List<String> lines, String task, String total) {
        Pattern p = Pattern.compile(Pattern.quote(task) + ": running (\\d+)" + Pattern.quote(total) + " instances");
        List<Long> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                out.add(Long.parseLong(m.group(1)));
            }
        }
        return out;
    }

    @Test
    void evaluateCountsBothSetsAgainstTheirTotal() throws Exception {
        List<String> lines = new ArrayList<>();
        RuntimeContext ctx = logging(lines, Duration.ZERO);
        try (Pipeline p = fit(new RuntimeContext("cpu", false))) {
            EvaluationResult r = oddball.evaluate(p, oddball.openData(normal, null, Map.of()),
                    oddball.openData(shifted, null, Map.of()), 32, ctx);
            assertThat(r.inScores()).hasSize(70);
        }
        assertThat(lines.get(0)).isEqualTo("evaluate: started (120 instances)");
        // batches of 32 over 70 then 50 instances
        assertThat(counts(lines, "evaluate", "/120")).containsExactly(32L, 64L, 70L, 102L, 120L);
        assertThat(lines.get(lines.size() - 1)).matches("evaluate: done 120/120 instances in [0-9.]+s \\([0-9]+/s\\)");
    }

    @Test
    void anUnknownTotalIsCountedWithoutOne() throws Exception {
        List<String> lines = new ArrayList<>();
        try (Pipeline p = fit(new RuntimeContext("cpu", false))) {
            // dropping rows leaves the count open until the end
            NanPolicy.Filtered data = NanPolicy.DROP.apply(oddball.openData(normal, null, Map.of()));
            assertThat(data.size()).isEmpty();
            oddball.inferThreshold(p, data, 90, 25, logging(lines, Duration.ZERO));
        }
        assertThat(lines.get(0)).isEqualTo("infer-threshold: started (? instances)");
        assertThat(counts(lines, "infer-threshold", "")).containsExactly(25L, 50L, 70L);
        assertThat(lines.get(lines.size() - 1)).startsWith("infer-threshold: done 70 instances in ");
    }

    @Test
    void shortWorkShowsNothingAndLongWorkStartsFromTheCountReached() throws Exception {
        List<String> lines = new ArrayList<>();
        try (Pipeline p = fit(new RuntimeContext("cpu", false))) {
            oddball.evaluate(p, oddball.openData(normal, null, Map.of()), oddball.openData(shifted, null, Map.of()),
                    32, logging(lines, Duration.ofHours(1)));
        }
        assertThat(lines).isEmpty();

        List<String> late = new ArrayList<>();
        Progress progress = ConsoleProgress.start("scoring", 100, "instances", new ConsoleProgress.Settings(false,
                Duration.ofMillis(50), Duration.ofHours(1), late::add));
        progress.step(10);
        assertThat(late).isEmpty();
        Thread.sleep(80);
        progress.step(20);
        progress.step(30);
        progress.close();
        assertThat(late).hasSize(2);
        assertThat(late.get(0)).startsWith("scoring: running 30/100 instances in ");
        assertThat(late.get(1)).startsWith("scoring: done 60/100 instances in ");
    }

    @Test
    void aContextWithoutProgressShowsNone() {
        assertThat(RuntimeContext.scoring(new RuntimeContext("cpu", false), "x", 5)).isSameAs(Progress.NONE);
        assertThat(RuntimeContext.total()).isZero();
    }
}
