package io.oddball.detector.knn;

import io.oddball.api.DetectorContext;
import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Npy;
import io.oddball.api.data.Shape;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** Reference arrays made with cleanlab (test resources) and detector factories. */
final class Fixtures {
    private Fixtures() {
    }

    static Path reference(String caseName, String file) {
        try {
            return Path.of(Fixtures.class.getResource("/reference/" + caseName + "/" + file).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + caseName + "/" + file, e);
        }
    }

    static Batch batch(String caseName, String file) {
        Npy.FloatArray a = Npy.readFloats(reference(caseName, file));
        return Batch.wrap(a.data(), Shape.of(a.shape()), null);
    }

    static Batch labelled(String caseName, String dataFile, String labelFile) {
        Npy.FloatArray a = Npy.readFloats(reference(caseName, dataFile));
        long[] l = Npy.readLongs(reference(caseName, labelFile)).data();
        int[] labels = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            labels[i] = (int) l[i];
        }
        return Batch.wrap(a.data(), Shape.of(a.shape()), labels);
    }

    static float[] scores(String caseName, String file) {
        return Npy.readFloats(reference(caseName, file)).data();
    }

    static long[] longs(String caseName, String file) {
        return Npy.readLongs(reference(caseName, file)).data();
    }

    static Dataset dataset(Batch b) {
        return Dataset.of("test-data", b);
    }

    static KnnDetector detector(Map<String, ?> params) {
        Params p = Params.of(params);
        KnnDetector d = new KnnDetectorProvider().create(p, DetectorContext.simple());
        p.finish();
        return d;
    }

    static float[] oneMinus(float[] s) {
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) (1.0 - s[i]);
        }
        return out;
    }
}
