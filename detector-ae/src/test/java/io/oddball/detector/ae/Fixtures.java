package io.oddball.detector.ae;

import io.oddball.api.DetectorContext;
import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.tf.testing.TestData;
import java.util.Map;

/** The autoencoder made from parameters, and the shared real-data helpers of {@link TestData}. */
final class Fixtures {
    private Fixtures() {
    }

    static AeDetector detector(Map<String, ?> params) {
        Params p = Params.of(params);
        AeDetector d = (AeDetector) new AeDetectorProvider().create(p, DetectorContext.simple());
        p.finish();
        return d;
    }

    static Batch cifar(int n, int factor) {
        return TestData.cifar(n, factor);
    }

    static Batch idx(String relative, int n) {
        return TestData.idx(relative, n);
    }

    static Batch noise(int n, Shape instance, long seed) {
        return TestData.noise(n, instance, seed);
    }

    static double[] meanScores(float[] featureScores, int n) {
        return TestData.meanScores(featureScores, n);
    }

    static double auroc(double[] in, double[] out) {
        return TestData.auroc(in, out);
    }
}
