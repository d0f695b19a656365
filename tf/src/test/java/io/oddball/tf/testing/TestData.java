package io.oddball.tf.testing;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/** Real data slices from the repository's {@code data/} folder, and scoring helpers, for detector tests. */
public final class TestData {
    private TestData() {
    }

    public static Path repoData(String relative) {
        Path p = Path.of("..", "data").resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("test data missing: " + p.toAbsolutePath());
        }
        return p;
    }

    /**
     * The first {@code n} CIFAR-10 records of the repository slice, channels last, scaled to [0, 1], averaged over
     * {@code factor × factor} blocks (1 = full size); labels as in the file.
     */
    public static Batch cifar(int n, int factor) {
        int side = 32 / factor;
        float[] x = new float[n * side * side * 3];
        int[] labels = new int[n];
        byte[] rec = new byte[3073];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(repoData(
                "cifar10/cifar10-data-batch-1-first1000.bin.gz")))) {
            DataInputStream din = new DataInputStream(in);
            for (int i = 0; i < n; i++) {
                din.readFully(rec);
                labels[i] = rec[0];
                for (int c = 0; c < 3; c++) {
                    for (int r = 0; r < 32; r++) {
                        for (int col = 0; col < 32; col++) {
                            float v = (rec[1 + c * 1024 + r * 32 + col] & 0xff) / 255f;
                            x[((i * side + r / factor) * side + col / factor) * 3 + c] += v / (factor * factor);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Batch.wrap(x, Shape.of(n, side, side, 3), labels);
    }

    /** The first {@code n} images of an IDX image file of the repository, 28×28×1, scaled to [0, 1]. */
    public static Batch idx(String relative, int n) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(repoData(relative)))) {
            DataInputStream din = new DataInputStream(in);
            din.readFully(new byte[16]);
            byte[] px = new byte[n * 784];
            din.readFully(px);
            float[] x = new float[px.length];
            for (int i = 0; i < px.length; i++) {
                x[i] = (px[i] & 0xff) / 255f;
            }
            return Batch.wrap(x, Shape.of(n, 28, 28, 1), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uniform noise images in [0, 1]. */
    public static Batch noise(int n, Shape instance, long seed) {
        Random r = new Random(seed);
        float[] x = new float[(int) (n * instance.size())];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return Batch.wrap(x, instance.prepend(n), null);
    }

    /** Mean feature score per instance (Alibi's outlier_perc = 100). */
    public static double[] meanScores(float[] featureScores, int n) {
        int f = featureScores.length / n;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < f; j++) {
                s += featureScores[i * f + j];
            }
            out[i] = s / f;
        }
        return out;
    }

    /** AUROC of {@code out} scored above {@code in}: the Mann–Whitney probability, ties counting half. */
    public static double auroc(double[] in, double[] out) {
        double wins = 0;
        for (double o : out) {
            for (double i : in) {
                wins += o > i ? 1 : o == i ? 0.5 : 0;
            }
        }
        return wins / ((double) in.length * out.length);
    }

    /**
     * Runs {@code main} in a new JVM on this test's class path with {@code args}, its output in {@code log}, and
     * fails unless it exits with 0 within two minutes.
     */
    public static void runInNewJvm(Path log, Class<?> main, String... args) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path")));
        // the child inherits the environment (the test pass's ODDBALL_OPS, ONEDNN_MAX_CPU_ISA, ...) and the class
        // path (without the op library in the no-op-library pass), so it builds the same graphs
        cmd.add(main.getName());
        cmd.addAll(java.util.List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(main.getName() + " did not finish in 120 s; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(main.getName() + " exited with " + p.exitValue() + ":\n"
                        + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
