package io.oddball.detector.llr;

import io.oddball.api.data.Npy;
import io.oddball.api.error.ModelFormatException;
import io.oddball.api.error.OddballException;
import io.oddball.detector.llr.pixelcnn.PixelCnn;
import io.oddball.tf.layers.WeightSpec;
import io.oddball.tf.layers.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-epoch weight snapshots of an {@code llr} fit ({@link LlrConfig#snapshotDir()}): after every epoch, the
 * scored weights of both models as one flat float32 array in {@link LlrGraphs#specs} order, {@code epoch-NNN.npy},
 * for studying how the ratio evolves over training ({@link LlrDetector#withSnapshot}; bench/llr.sh).
 */
final class LlrSnapshots {
    private LlrSnapshots() {
    }

    /** The file of epoch {@code epoch} (1-based) in {@code dir}. */
    static Path file(Path dir, int epoch) {
        return dir.resolve(String.format(Locale.ROOT, "epoch-%03d.npy", epoch));
    }

    /** Writes the scored weights {@code w} of {@code net}'s two models after epoch {@code epoch} into {@code dir}. */
    static void write(Path dir, int epoch, PixelCnn net, Weights w) {
        Path file = file(dir, epoch);
        try {
            Files.createDirectories(dir);
            List<WeightSpec> specs = LlrGraphs.specs(net);
            long total = 0;
            for (WeightSpec s : specs) {
                total += s.shape().size();
            }
            float[] flat = new float[Math.toIntExact(total)];
            int at = 0;
            for (WeightSpec s : specs) {
                int n = Math.toIntExact(s.shape().size());
                w.values(s.name()).get(flat, at, n);
                at += n;
            }
            Npy.write(file, new int[] {flat.length}, flat);
        } catch (IOException e) {
            throw new OddballException("llr: cannot write the weight snapshot " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads what {@link #write} wrote for {@code net}.
     *
     * @throws ModelFormatException naming the file when it does not hold {@code net}'s weights
     */
    static Weights read(Path file, PixelCnn net) {
        float[] flat = Npy.readFloats(file).data();
        List<WeightSpec> specs = LlrGraphs.specs(net);
        long total = 0;
        for (WeightSpec s : specs) {
            total += s.shape().size();
        }
        if (flat.length != total) {
            throw new ModelFormatException(file + ": expected the " + total + " weights of both models of this "
                    + "detector, found " + flat.length);
        }
        List<float[]> arrays = new ArrayList<>();
        int at = 0;
        for (WeightSpec s : specs) {
            int n = Math.toIntExact(s.shape().size());
            float[] a = new float[n];
            System.arraycopy(flat, at, a, 0, n);
            arrays.add(a);
            at += n;
        }
        return Weights.wrap(specs, arrays);
    }
}
