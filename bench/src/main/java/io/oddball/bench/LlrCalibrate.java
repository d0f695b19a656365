package io.oddball.bench;

import io.oddball.api.data.Batch;
import io.oddball.detector.llr.LlrDetector;
import io.oddball.detector.llr.LlrScores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Adds the score statistics (format 2 of {@code llr.properties}, and {@code calibration.npy}) to a likelihood-ratio detector saved before a fit
 * computed them, from the same images a fit computes them on — the training images it held out for validation
 * ({@code fit.seed} and {@code fit.validationSplit} of its pipeline) — and sets its {@code score}. Each file is
 * written to a temporary file beside it, then moved over it. For the shipped detector (bench/llr.sh); its threshold
 * must be inferred again for the new score ({@code ./oddball infer-threshold}).
 *
 * <pre>
 * java -cp ... io.oddball.bench.LlrCalibrate SAVED_DETECTOR TRAIN.gz SEED VALIDATION_SPLIT SCORE
 * </pre>
 */
public final class LlrCalibrate {
    private LlrCalibrate() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        SavedLlr.Validation validation = SavedLlr.Validation.parse(args, 1);
        String score = args[4];
        if (!LlrScores.NAMES.contains(score)) {
            throw new IllegalArgumentException("SCORE: expected one of " + LlrScores.NAMES + ", found " + score);
        }
        LlrScores.Calibration c;
        try (SavedLlr saved = new SavedLlr(dir)) {
            LlrDetector d = saved.detector;
            Batch train = saved.readAll(validation.train());
            float[] held = validation.heldOut(train, 3000);
            int m = held.length / train.featuresPerInstance();
            c = d.statistics(Batch.wrap(held, d.inputShape().prepend(m), null));
        }
        System.out.println(c);
        Path props = dir.resolve("model").resolve("llr.properties");
        StringBuilder text = new StringBuilder();
        for (String line : Files.readAllLines(props)) {
            if (line.startsWith("calibration.")) {
                continue;
            }
            text.append(line.startsWith("formatVersion=") ? "formatVersion=2" : line).append('\n');
        }
        c.toMap().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path scores = dir.resolve("model").resolve("calibration.npy");
        Path tmpScores = scores.resolveSibling(".calibration.npy.tmp");
        c.writeHeldOutScores(tmpScores);
        Files.move(tmpScores, scores, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        replace(props, text.toString());
        Path yaml = dir.resolve("detector.yaml");
        String y = Files.readString(yaml).replaceAll("(?m)^  score: .*\n", "").replaceAll("(?m)^  mutation: .*\n",
                "");
        y = y.replaceFirst("(?m)^(  backgroundEpochs: .*\n)", "$1  mutation: different\n  score: " + score + "\n");
        replace(yaml, y);
        System.out.println("wrote " + props + " and " + yaml + " (score: " + score + ")");
    }

    private static void replace(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
