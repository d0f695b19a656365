package io.oddball.runtime.pipeline;

import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's {@code preprocess} steps, applied to every batch before the detector sees it, at fit and at score
 * time alike (so scores are computed in the training space). Steps: {@code {scale: 255}} divides by 255;
 * {@code {normalize: {mean: [..], std: [..]}}} subtracts a per-channel (last axis) mean and divides by a std.
 * Immutable and thread-safe.
 */
public final class Preprocessor {
    private final List<Step> steps;

    private Preprocessor(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** No preprocessing. */
    public static Preprocessor none() {
        return new Preprocessor(List.of());
    }

    /** Reads the steps of a {@code preprocess} list; problems go to each step's params. */
    public static Preprocessor from(List<Params> stepParams) {
        List<Step> steps = new ArrayList<>();
        for (Params p : stepParams) {
            if (p.has("scale")) {
                double s = p.getDouble("scale", 1);
                if (!(s != 0) || Double.isNaN(s) || Double.isInfinite(s)) {
                    p.problem("scale", "a finite non-zero number", s);
                } else {
                    steps.add(new Scale(s));
                }
            } else if (p.has("normalize")) {
                Params n = p.child("normalize");
                List<Double> mean = n.getDoubleList("mean", null);
                List<Double> std = n.getDoubleList("std", null);
                if (mean == null) {
                    n.problem("mean", "a number or a list of per-channel numbers", null);
                } else if (std == null) {
                    n.problem("std", "a number or a list of per-channel numbers", null);
                } else if (mean.size() != std.size()) {
                    n.problem("std", mean.size() + " values (one per mean)", std.size() + " values");
                } else if (std.stream().anyMatch(v -> !(v > 0))) {
                    n.problem("std", "numbers > 0", std);
                } else {
                    steps.add(new Normalize(toArray(mean), toArray(std)));
                }
            } else {
                for (String key : p.keys()) {
                    p.getRaw(key);
                    p.problem(key, "a step 'scale' or 'normalize'", "'" + key + "'");
                }
            }
        }
        return new Preprocessor(steps);
    }

    /** Rebuilds the steps written by {@link #describe()}. */
    public static Preprocessor fromDescription(List<Map<String, Object>> description) {
        List<Params> ps = new ArrayList<>();
        for (Map<String, Object> m : description) {
            ps.add(Params.of(m, "preprocess", null));
        }
        Preprocessor p = from(ps);
        ps.forEach(Params::finish);
        return p;
    }

    private static double[] toArray(List<Double> l) {
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    /** The steps as plain values for {@code detector.yaml}. */
    public List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Step s : steps) {
            out.add(s.describe());
        }
        return out;
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** Checks the steps fit data of this instance shape (channel count for normalize). */
    public void check(Shape instanceShape, String where) {
        for (Step s : steps) {
            s.check(instanceShape, where);
        }
    }

    /** The batch after every step (a new batch; the input is unchanged). */
    public Batch apply(Batch batch) {
        if (steps.isEmpty()) {
            return batch;
        }
        float[] x = batch.toArray();
        Shape inst = batch.instanceShape();
        for (Step s : steps) {
            s.apply(x, inst);
        }
        return Batch.wrap(x, batch.shape(), batch.hasLabels() ? batch.labels() : null);
    }

    private interface Step {
        void apply(float[] x, Shape instanceShape);

        void check(Shape instanceShape, String where);

        Map<String, Object> describe();
    }

    private record Scale(double by) implements Step {
        @Override
        public void apply(float[] x, Shape instanceShape) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (x[i] / by);
            }
        }

        @Override
        public void check(Shape instanceShape, String where) {
        }

        @Override
        public Map<String, Object> describe() {
            return Map.of("scale", by);
        }
    }

    private record Normalize(double[] mean, double[] std) implements Step {
        @Override
        public void apply(float[] x, Shape instanceShape) {
            int c = mean.length;
            for (int i = 0; i < x.length; i++) {
                int ch = c == 1 ? 0 : i % c;
                x[i] = (float) ((x[i] - mean[ch]) / std[ch]);
            }
        }

        @Override
        public void check(Shape instanceShape, String where) {
            int channels = instanceShape.rank() == 0 ? 1 : instanceShape.dim(instanceShape.rank() - 1);
            if (mean.length != 1 && mean.length != channels) {
                throw new io.oddball.api.error.ConfigException(where + " preprocess.normalize: expected 1 or "
                        + channels + " per-channel values (the data's last axis), found " + mean.length);
            }
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> inner = new LinkedHashMap<>();
            inner.put("mean", toList(mean));
            inner.put("std", toList(std));
            return Map.of("normalize", inner);
        }

        private static List<Double> toList(double[] a) {
            List<Double> l = new ArrayList<>();
            for (double v : a) {
                l.add(v);
            }
            return l;
        }
    }
}
