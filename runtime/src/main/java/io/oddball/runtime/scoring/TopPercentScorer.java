package io.oddball.runtime.scoring;

import io.oddball.api.Scorer;
import java.util.Arrays;

/**
 * Alibi Detect's {@code outlier_perc} rule ({@code OutlierAE.score} and siblings): the instance score is the mean of
 * the top {@code ceil(.01 * outlierPerc * nFeatures)} feature scores. Alibi sorts every row
 * ({@code np.sort(fscore_flat, axis=1)[:, -sample_size:]}); this class selects the top share in linear expected time
 * instead (quickselect with a sort fallback), which gives the same set of values. The sample size is computed with the
 * same double expression as Alibi, so it rounds the same way; the mean is accumulated in double and rounded to float
 * once. A NaN feature score sorts last in numpy, so it is always in the top share and the score is NaN.
 *
 * @param outlierPerc percentage of the highest feature scores averaged, in (0, 100]
 */
public record TopPercentScorer(double outlierPerc) implements Scorer {
    /** Alibi's default: all features, i.e. the mean. */
    public static final double DEFAULT_OUTLIER_PERC = 100;
    /** Allowed values of {@code outlierPerc}. */
    public static final NumberRange OUTLIER_PERC_RANGE = NumberRange.openClosed(0, 100);

    /** Below this many elements a range is finished by insertion sort. */
    private static final int INSERTION_SORT_MAX = 16;

    public TopPercentScorer {
        OUTLIER_PERC_RANGE.require("outlierPerc", outlierPerc);
    }

    @Override
    public String name() {
        return TopPercentScorerProvider.NAME;
    }

    /** How many of {@code nFeatures} feature scores are averaged: Alibi's {@code int(np.ceil(.01 * perc * n))}. */
    public int sampleSize(int nFeatures) {
        double size = Math.ceil(.01 * outlierPerc * nFeatures);
        return (int) Math.max(1, Math.min(nFeatures, size));
    }

    @Override
    public float instanceScore(float[] featureScores, int offset, int length) {
        Features.check(featureScores, offset, length, 1);
        return score(featureScores, offset, length, null);
    }

    @Override
    public float[] instanceScores(float[] featureScores, int n, int featuresPerInstance) {
        Features.check(featureScores, 0, featuresPerInstance, n);
        float[] scratch = new float[featuresPerInstance];
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = score(featureScores, i * featuresPerInstance, featuresPerInstance, scratch);
        }
        return out;
    }

    private float score(float[] values, int offset, int length, float[] scratch) {
        int k = sampleSize(length);
        if (k == length) {
            return (float) (Features.sum(values, offset, length) / length);
        }
        if (k == 1) {
            return Features.max(values, offset, length);
        }
        float[] a = scratch != null ? scratch : new float[length];
        for (int i = 0; i < length; i++) {
            float v = values[offset + i];
            if (Float.isNaN(v)) {
                return Float.NaN;
            }
            a[i] = v;
        }
        int from = length - k;
        select(a, 0, length, from);
        return (float) (Features.sum(a, from, k) / k);
    }

    /**
     * Rearranges {@code a[lo, hi)} so that {@code a[k]} holds the value it would hold sorted, nothing before it is
     * larger and nothing after it is smaller. Three-way partitions (many feature scores tie, e.g. at 0) around a
     * median-of-three pivot; after {@code 2 log2(n)} rounds it sorts the rest, so the worst case is O(n log n).
     * Input is NaN-free.
     */
    static void select(float[] a, int lo, int hi, int k) {
        int rounds = 2 * (32 - Integer.numberOfLeadingZeros(hi - lo));
        while (hi - lo > INSERTION_SORT_MAX) {
            if (rounds-- == 0) {
                Arrays.sort(a, lo, hi);
                return;
            }
            float pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi - 1]);
            int lt = lo;
            int i = lo;
            int gt = hi;
            while (i < gt) {
                float v = a[i];
                if (v < pivot) {
                    a[i++] = a[lt];
                    a[lt++] = v;
                } else if (v > pivot) {
                    a[i] = a[--gt];
                    a[gt] = v;
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt;
            } else if (k >= gt) {
                lo = gt;
            } else {
                return;
            }
        }
        for (int i = lo + 1; i < hi; i++) {
            float v = a[i];
            int j = i - 1;
            while (j >= lo && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    private static float medianOfThree(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
