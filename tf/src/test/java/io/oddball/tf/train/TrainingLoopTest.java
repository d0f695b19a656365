package io.oddball.tf.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.Progress;
import io.oddball.tf.layers.Weights;
import io.oddball.tf.train.TrainingHistory.Outcome;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {
    private static DetectorContext stopAfter(int calls, List<String> extras) {
        AtomicInteger n = new AtomicInteger();
        return new DetectorContext() {
            @Override
            public Progress progress(String task, long total, String unit) {
                return new Progress() {
                    @Override
                    public void step(long k) {
                    }

                    @Override
                    public void extra(String text) {
                        extras.add(text);
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public boolean stopRequested() {
                return n.incrementAndGet() > calls;
            }

            @Override
            public String device() {
                return "gpu";
            }
        };
    }

    private static float[] flat(Weights w) {
        List<Float> all = new ArrayList<>();
        for (String name : w.names()) {
            FloatBuffer b = w.values(name);
            while (b.hasRemaining()) {
                all.add(b.get());
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Test
    void aTinyAutoencoderOverfitsAFewPointsDeterministically() {
        FitOptions options = new FitOptions(150, 8, 0.01, 11, 0, 0);
        List<String> extras = new ArrayList<>();
        float[] first;
        try (TinyAutoencoder ae = new TinyAutoencoder(1)) {
            TrainingHistory h = TrainingLoop.run(ae.training, TinyAutoencoder.data(), TinyAutoencoder.SHAPE, options,
                    stopAfter(Integer.MAX_VALUE, extras), "tiny");
            assertThat(h.outcome()).isEqualTo(Outcome.COMPLETED);
            assertThat(h.epochs()).isEqualTo(150);
            assertThat(h.steps()).isEqualTo(300);
            assertThat(h.loss().get(149)).isLessThan(h.loss().get(0) / 20);
            assertThat(h.restoredBest()).isFalse();
            first = flat(ae.training.variables().read(ae.session));
        }
        assertThat(extras.get(extras.size() - 1)).startsWith("epoch 150/150 loss ").endsWith("img/s");
        try (TinyAutoencoder ae = new TinyAutoencoder(1)) {
            TrainingLoop.run(ae.training, TinyAutoencoder.data(), TinyAutoencoder.SHAPE, options,
                    DetectorContext.simple(), "tiny");
            assertThat(flat(ae.training.variables().read(ae.session))).containsExactly(first);
        }
    }

    @Test
    void earlyStoppingMonitorsValidationLossAndStopsAfterPatience() {
        // Learning rate 0: the loss never improves after epoch 1.
        FitOptions options = new FitOptions(10, 4, 1e-30, 3, 0.25, 2);
        try (TinyAutoencoder ae = new TinyAutoencoder(2)) {
            TrainingHistory h = TrainingLoop.run(ae.training, TinyAutoencoder.data(), TinyAutoencoder.SHAPE, options,
                    DetectorContext.simple(), "tiny");
            assertThat(h.outcome()).isEqualTo(Outcome.EARLY_STOPPED);
            assertThat(h.epochs()).isEqualTo(3);
            assertThat(h.validationLoss()).hasSize(3);
            assertThat(h.bestEpoch()).isEqualTo(1);
            assertThat(h.restoredBest()).isTrue();
            assertThat(h.steps()).isEqualTo(9);
        }
    }

    @Test
    void aStopRequestEndsCleanlyWithTheBestCompletedEpochsWeights() {
        FitOptions options = new FitOptions(5, 8, 0.01, 4, 0, 0);
        float[] afterOneEpoch;
        try (TinyAutoencoder ae = new TinyAutoencoder(3)) {
            TrainingLoop.run(ae.training, TinyAutoencoder.data(), TinyAutoencoder.SHAPE,
                    new FitOptions(1, 8, 0.01, 4, 0, 0), DetectorContext.simple(), "tiny");
            afterOneEpoch = flat(ae.training.variables().read(ae.session));
        }
        try (TinyAutoencoder ae = new TinyAutoencoder(3)) {
            // Two steps per epoch: the fourth check (second step of epoch 2) asks to stop.
            TrainingHistory h = TrainingLoop.run(ae.training, TinyAutoencoder.data(), TinyAutoencoder.SHAPE, options,
                    stopAfter(3, new ArrayList<>()), "tiny");
            assertThat(h.outcome()).isEqualTo(Outcome.STOP_REQUESTED);
            assertThat(h.epochs()).isEqualTo(1);
            assertThat(h.steps()).isEqualTo(3);
            assertThat(h.restoredBest()).isTrue();
            assertThat(flat(ae.training.variables().read(ae.session))).containsExactly(afterOneEpoch);
        }
    }

    @Test
    void validationRowsAreTheSplitOfTheSeedDistinctAndInRange() {
        FitOptions options = new FitOptions(1, 8, 0.01, 1, 0.05, 0);
        int[] rows = TrainingLoop.validationRows(60000, options);
        assertThat(rows).hasSize(3000).doesNotHaveDuplicates();
        assertThat(java.util.Arrays.stream(rows).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        assertThat(java.util.Arrays.stream(rows).max().orElseThrow()).isLessThan(60000);
        assertThat(TrainingLoop.validationRows(60000, options)).containsExactly(rows);
        assertThat(TrainingLoop.validationRows(60000, new FitOptions(1, 8, 0.01, 2, 0.05, 0))).isNotEqualTo(rows);
        assertThat(TrainingLoop.validationRows(60000, new FitOptions(1, 8, 0.01, 1, 0, 0))).isEmpty();
    }
}
