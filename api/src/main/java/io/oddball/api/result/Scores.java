package io.oddball.api.result;

import io.oddball.api.data.Shape;
import java.util.Arrays;

/**
 * What a detector computes for a batch: per-feature scores (shape of the input; null when the detector has none)
 * and/or per-instance scores (null when they are to be derived from feature scores by a {@link io.oddball.api.Scorer}).
 * Higher = more outlying. Immutable.
 */
public final class Scores {
    private final int n;
    private final float[] instance;
    private final float[] feature;
    private final Shape featureShape;

    private Scores(int n, float[] instance, float[] feature, Shape featureShape) {
        if (instance == null && feature == null) {
            throw new IllegalArgumentException("scores need instance or feature scores");
        }
        if (instance != null && instance.length != n) {
            throw new IllegalArgumentException("expected " + n + " instance scores, found " + instance.length);
        }
        if (feature != null && feature.length != n * featureShape.size()) {
            throw new IllegalArgumentException("expected " + n * featureShape.size() + " feature scores, found "
                    + feature.length);
        }
        this.n = n;
        this.instance = instance;
        this.feature = feature;
        this.featureShape = featureShape;
    }

    /** Instance scores only (the array is taken over, not copied). */
    public static Scores ofInstances(float[] instanceScores) {
        return new Scores(instanceScores.length, instanceScores, null, null);
    }

    /** Feature scores of {@code n} instances of shape {@code featureShape} (taken over), instance scores optional. */
    public static Scores ofFeatures(int n, Shape featureShape, float[] featureScores, float[] instanceScores) {
        return new Scores(n, instanceScores, featureScores, featureShape);
    }

    /** Number of instances. */
    public int size() {
        return n;
    }

    public boolean hasInstanceScores() {
        return instance != null;
    }

    public boolean hasFeatureScores() {
        return feature != null;
    }

    /** A copy of the instance scores. */
    public float[] instanceScores() {
        if (instance == null) {
            throw new IllegalStateException("no instance scores: derive them with a Scorer");
        }
        return instance.clone();
    }

    /** A copy of the feature scores, row-major, {@code n × featureShape}. */
    public float[] featureScores() {
        if (feature == null) {
            throw new IllegalStateException("this detector gives no feature scores");
        }
        return feature.clone();
    }

    /** Shape of one instance's feature scores; null when there are none. */
    public Shape featureShape() {
        return featureShape;
    }

    /** These scores with instance scores set (e.g. derived by a scorer). */
    public Scores withInstanceScores(float[] instanceScores) {
        return new Scores(n, instanceScores.clone(), feature, featureShape);
    }

    /** Scores of several batches, one after another. */
    public static Scores concat(java.util.List<Scores> parts) {
        int total = 0;
        boolean inst = true;
        boolean feat = true;
        Shape fs = null;
        for (Scores s : parts) {
            total += s.n;
            inst &= s.instance != null;
            feat &= s.feature != null;
            fs = s.featureShape;
        }
        float[] i = inst ? new float[total] : null;
        float[] f = feat && fs != null ? new float[Math.toIntExact(total * fs.size())] : null;
        int at = 0;
        for (Scores s : parts) {
            if (i != null) {
                System.arraycopy(s.instance, 0, i, at, s.n);
            }
            if (f != null) {
                System.arraycopy(s.feature, 0, f, Math.toIntExact(at * fs.size()), s.feature.length);
            }
            at += s.n;
        }
        if (f == null && i == null) {
            return ofInstances(new float[0]);
        }
        return new Scores(total, i, f, f == null ? null : fs);
    }

    @Override
    public String toString() {
        return "Scores[n=" + n + (instance != null ? ", instance" : "")
                + (feature != null ? ", feature " + featureShape : "") + "]"
                + (instance != null && n <= 8 ? Arrays.toString(instance) : "");
    }
}
