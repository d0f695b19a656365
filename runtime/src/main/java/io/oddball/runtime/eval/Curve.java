package io.oddball.runtime.eval;

import java.util.Arrays;

/**
 * Points of a ROC or precision-recall curve, for plots: {@code x}, {@code y} and the score threshold of each point,
 * in scikit-learn's order (see {@link Metrics#rocCurve} and {@link Metrics#precisionRecallCurve}). Immutable: the
 * array accessors return copies; {@link #x(int)} and friends read without copying.
 */
public final class Curve {
    private final double[] x;
    private final double[] y;
    private final double[] thresholds;

    Curve(double[] x, double[] y, double[] thresholds) {
        if (x.length != y.length || x.length != thresholds.length) {
            throw new IllegalArgumentException("curve: expected arrays of one length, found " + x.length + ", "
                    + y.length + " and " + thresholds.length);
        }
        this.x = x;
        this.y = y;
        this.thresholds = thresholds;
    }

    public int size() {
        return x.length;
    }

    public double x(int i) {
        return x[i];
    }

    public double y(int i) {
        return y[i];
    }

    public double threshold(int i) {
        return thresholds[i];
    }

    /** All x values (FPR for ROC, recall for precision-recall). */
    public double[] x() {
        return x.clone();
    }

    /** All y values (TPR for ROC, precision for precision-recall). */
    public double[] y() {
        return y.clone();
    }

    public double[] thresholds() {
        return thresholds.clone();
    }

    @Override
    public String toString() {
        return "Curve[x=" + Arrays.toString(x) + ", y=" + Arrays.toString(y) + "]";
    }
}
