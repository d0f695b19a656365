package io.oddball.bench;

import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.Params;
import io.oddball.api.Progress;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.tf.autoencoder.Architecture;
import io.oddball.tf.autoencoder.EncoderDecoder;
import io.oddball.tf.autoencoder.NetworkSpec;
import io.oddball.tf.autoencoder.ReconstructionDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The speed harness of the deep detectors ({@link AeBench}, {@link VaeBench}) through the detector API: training
 * milliseconds per step (median of the steps after the first {@code warmup}, timed at each progress step) and
 * inference images per second ({@code score} of batches of {@code inferBatch}: the median of {@code inferBatches}
 * batches after two warm-up ones, as the peers time theirs), on uniform random 32×32×3 images; then the float32 peak
 * of this machine in the same process ({@link Flops#matMulPeak()}) and, for the autoencoder, its useful FLOPs as a
 * share of it.
 *
 * <pre>
 * java -cp ... io.oddball.bench.AeBench|VaeBench [--arch alibi-cifar10] [--batch 64] [--steps 30] [--warmup 3]
 *     [--inferBatch 256] [--inferBatches 10]
 * </pre>
 */
final class DeepBench {
    /** Makes the detector to time from its parameters and the timing context. */
    interface Factory {
        /** A detector of {@code params}. */
        ReconstructionDetector<?> create(Params params, DetectorContext context);
    }

    private DeepBench() {
    }

    /** Parses {@code args}, fits a detector of {@code factory} with {@code extra} parameters, prints the figures. */
    static void run(String name, String[] args, Map<String, Object> extra, Factory factory) {
        Args a = Args.parse(args);
        String arch = a.get("arch", "alibi-cifar10");
        int batch = a.getInt("batch", 64);
        int steps = a.getInt("steps", 30);
        int warmup = a.getInt("warmup", 3);
        int inferBatch = a.getInt("inferBatch", 256);
        int inferBatches = a.getInt("inferBatches", 10);
        Shape shape = Shape.of(32, 32, 3);
        Random r = new Random(0);
        int n = batch * (steps + warmup);
        float[] x = new float[(int) (n * shape.size())];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        List<Long> stamps = new ArrayList<>();
        DetectorContext ctx = new DetectorContext() {
            @Override
            public Progress progress(String task, long total, String unit) {
                stamps.add(System.nanoTime());
                return new Progress() {
                    @Override
                    public void step(long k) {
                        stamps.add(System.nanoTime());
                    }

                    @Override
                    public void extra(String text) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public boolean stopRequested() {
                return false;
            }

            @Override
            public java.util.Map<String, String> settings() {
                // ODDBALL_OPS, ODDBALL_INFERENCE_PRECISION: the variants bench/opslib.sh and RESULTS.md compare
                return DetectorContext.environmentSettings(System.getenv());
            }

            @Override
            public String device() {
                return "cpu";
            }
        };
        Map<String, Object> params = new java.util.LinkedHashMap<>(extra);
        params.put("architecture", arch);
        params.put("inferenceBatchSize", inferBatch);
        double[] ms = new double[steps];
        double ips;
        try (ReconstructionDetector<?> d = factory.create(Params.of(params), ctx)) {
            d.fit(Dataset.of("random", Batch.wrap(x, shape.prepend(n), null)), new FitOptions(1, batch, 1e-3, 0, 0,
                    0));
            for (int i = 0; i < steps; i++) {
                ms[i] = (stamps.get(warmup + i + 1) - stamps.get(warmup + i)) / 1e6;
            }
            Arrays.sort(ms);
            Batch probe = Batch.wrap(Arrays.copyOf(x, (int) (inferBatch * shape.size())), shape.prepend(inferBatch),
                    null);
            d.score(probe);
            d.score(probe);
            // the median batch, as the peers time theirs (bench/peers): a VM's pause in one batch moves no figure
            double[] batchSeconds = new double[inferBatches];
            for (int i = 0; i < inferBatches; i++) {
                long t0 = System.nanoTime();
                d.score(probe);
                batchSeconds[i] = (System.nanoTime() - t0) / 1e9;
            }
            Arrays.sort(batchSeconds);
            ips = inferBatch / batchSeconds[inferBatches / 2];
            System.out.printf(Locale.ROOT, "%s %s %s: %d parameters; train batch %d: median %.1f ms/step (min %.1f, "
                    + "max %.1f, %d steps after %d warm-up); inference batch %d: %.0f images/s%n", name, arch, extra,
                    d.parameterCount(), batch, ms[steps / 2], ms[0], ms[steps - 1], steps, warmup, inferBatch, ips);
        }
        double peak = Flops.matMulPeak();
        if (name.equals("ae")) {
            // training does about 3 forward passes of work (forward, gradient of the input, gradient of the weights)
            double forward = Flops.forward(EncoderDecoder.of(NetworkSpec.defaults(Architecture.of(arch)), shape, "ae"));
            double train = 3 * forward * batch / (ms[steps / 2] / 1e3) / 1e9;
            double infer = forward * ips / 1e9;
            System.out.printf(Locale.ROOT, "%s %s: %.1f MFLOP per image forward; fp32 peak now %.0f GFLOP/s (2048³ "
                    + "MatMul, median of 20); useful FLOPs: training %.0f GFLOP/s (%.0f %% of peak), inference %.0f "
                    + "GFLOP/s (%.0f %% of peak)%n", name, arch, forward / 1e6, peak, train, 100 * train / peak, infer,
                    100 * infer / peak);
        } else {
            System.out.printf(Locale.ROOT, "%s %s: fp32 peak now %.0f GFLOP/s (2048³ MatMul, median of 20)%n", name,
                    arch, peak);
        }
    }
}
