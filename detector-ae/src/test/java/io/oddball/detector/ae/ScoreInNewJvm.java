package io.oddball.detector.ae;

import io.oddball.api.DetectorContext;
import io.oddball.api.Detector;
import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Npy;
import io.oddball.api.data.Shape;
import java.nio.file.Path;

/** Run in a child JVM by {@link AeDetectorTest}: loads a saved detector, scores an {@code .npy} batch, writes the scores. */
public final class ScoreInNewJvm {
    private ScoreInNewJvm() {
    }

    /** Arguments: model directory, input {@code .npy} (n × shape), output {@code .npy}. */
    public static void main(String[] args) {
        Npy.FloatArray in = Npy.readFloats(Path.of(args[1]));
        try (Detector d = new AeDetectorProvider().load(Path.of(args[0]), Params.of(AeDetectorTest.CIFAR_PARAMS),
                DetectorContext.simple())) {
            float[] fs = d.score(Batch.wrap(in.data(), Shape.of(in.shape()), null)).featureScores();
            Npy.write(Path.of(args[2]), new int[] {fs.length}, fs);
        }
    }
}
