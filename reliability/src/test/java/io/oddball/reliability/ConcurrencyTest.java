package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One fitted detector scored from 8 threads at once gives, bit for bit, the scores of serial scoring. */
class ConcurrencyTest {
    static final int THREADS = 8;
    static final int BATCHES = 24;
    static final int ROUNDS = 5;

    @Test
    void eightThreadsScoreExactlyAsOne() throws Exception {
        Oddball oddball = Oddball.create(List.of());
        try (Pipeline p = oddball.load(Fixtures.knn(), DetectorContext.simple())) {
            Random r = new Random(10);
            List<Batch> batches = new ArrayList<>();
            for (int b = 0; b < BATCHES; b++) {
                int n = 1 + r.nextInt(64);
                float[] x = new float[n * Fixtures.FEATURES];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (r.nextGaussian() * (1 + b % 3));
                }
                batches.add(Batch.of(x, Shape.of(n, Fixtures.FEATURES)));
            }
            List<float[]> serial = new ArrayList<>();
            for (Batch b : batches) {
                serial.add(p.score(b).instanceScores());
            }

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<String>>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        List<String> mismatches = new ArrayList<>();
                        for (int round = 0; round < ROUNDS; round++) {
                            // each thread walks the batches in its own order, so different batches overlap
                            for (int k = 0; k < BATCHES; k++) {
                                int b = (k * (2 * thread + 1) + round) % BATCHES;
                                float[] s = p.score(batches.get(b)).instanceScores();
                                if (!java.util.Arrays.equals(s, serial.get(b))) {
                                    mismatches.add("thread " + thread + " round " + round + " batch " + b);
                                }
                            }
                        }
                        return mismatches;
                    }));
                }
                start.countDown();
                List<String> all = new ArrayList<>();
                for (Future<List<String>> f : results) {
                    all.addAll(f.get(120, TimeUnit.SECONDS));
                }
                assertThat(all).isEmpty();
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
