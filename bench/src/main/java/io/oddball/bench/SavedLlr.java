package io.oddball.bench;

import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.data.Batch;
import io.oddball.detector.llr.LlrDetector;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.tf.train.TrainingLoop;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The saved likelihood-ratio detector an Llr* tool works on (its SAVED_DETECTOR argument), loaded with a runtime of
 * the class path's plugins, which also reads the tool's data files.
 */
final class SavedLlr implements AutoCloseable {
    final Oddball oddball = Oddball.create(List.of());
    final Pipeline pipeline;
    final LlrDetector detector;

    SavedLlr(Path dir) {
        pipeline = oddball.load(dir, DetectorContext.simple());
        detector = (LlrDetector) pipeline.detector();
    }

    /** Every instance of {@code file}, read as its extension says. */
    Batch readAll(Path file) {
        return oddball.openData(file, null, Map.of()).readAll();
    }

    @Override
    public void close() {
        pipeline.close();
    }

    /**
     * Which training images a fit held out for validation, as the tools' arguments TRAIN.gz SEED VALIDATION_SPLIT
     * name them: the fit's data, its {@code fit.seed} and its {@code fit.validationSplit}.
     */
    record Validation(Path train, long seed, double split) {
        /** The three arguments from {@code args[from]} on. */
        static Validation parse(String[] args, int from) {
            return new Validation(Path.of(args[from]), Long.parseLong(args[from + 1]),
                    Double.parseDouble(args[from + 2]));
        }

        /** The rows of {@code n} training images the fit held out ({@link TrainingLoop#validationRows}). */
        int[] rows(int n) {
            return TrainingLoop.validationRows(n, new FitOptions(1, 1, 1e-3, seed, split, 0));
        }

        /**
         * Up to {@code limit} of the held-out images of {@code train} (these training images), in that order.
         *
         * @throws IllegalArgumentException if the split holds none out
         */
        float[] heldOut(Batch train, int limit) {
            int[] rows = rows(train.size());
            int m = Math.min(rows.length, limit);
            if (m == 0) {
                throw new IllegalArgumentException("VALIDATION_SPLIT: expected a split that holds images out, found "
                        + split);
            }
            int f = train.featuresPerInstance();
            float[] all = train.toArray();
            float[] held = new float[m * f];
            for (int i = 0; i < m; i++) {
                System.arraycopy(all, rows[i] * f, held, i * f, f);
            }
            return held;
        }
    }
}
