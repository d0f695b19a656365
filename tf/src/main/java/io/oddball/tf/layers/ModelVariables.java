package io.oddball.tf.layers;

import static java.util.Objects.requireNonNull;

import io.oddball.tf.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The graph variables of one model: one float variable per {@link WeightSpec}, named {@code <model>_<weight>} (no
 * {@code /}), each with an assign-from-feed op (to initialise it and to restore a snapshot) and an identity read that
 * layers build on (gradients through a variable used directly by {@code Square} or {@code Log1p} crash TensorFlow
 * Java). Keeping a model's variables together lets an optimiser train exactly this model when a graph holds two.
 */
public final class ModelVariables {
    private final String model;
    private final List<WeightSpec> specs;
    private final List<Variable<TFloat32>> variables = new ArrayList<>();
    private final Map<String, Operand<TFloat32>> reads = new LinkedHashMap<>();
    private final List<Placeholder<TFloat32>> feeds = new ArrayList<>();
    private final List<Op> assigns = new ArrayList<>();
    private final boolean training;

    private ModelVariables(Ops tf, String model, List<WeightSpec> specs) {
        this.model = model;
        this.training = false;
        this.specs = List.copyOf(specs);
        for (WeightSpec s : this.specs) {
            org.tensorflow.ndarray.Shape shape = tfShape(s.shape());
            String varName = model + "_" + s.name();
            Variable<TFloat32> v = tf.withName(varName).variable(shape, TFloat32.class);
            Placeholder<TFloat32> feed = tf.withName(varName + "_feed").placeholder(TFloat32.class,
                    Placeholder.shape(shape));
            if (reads.put(s.name(), tf.withName(varName + "_read").identity(v)) != null) {
                throw new IllegalArgumentException(model + ": duplicate weight name " + s.name());
            }
            variables.add(v);
            feeds.add(feed);
            assigns.add(tf.assign(v, feed));
        }
    }

    private ModelVariables(ModelVariables of, java.util.function.Predicate<WeightSpec> keep, boolean training) {
        this.model = of.model;
        this.training = training;
        List<WeightSpec> kept = new ArrayList<>();
        for (int i = 0; i < of.specs.size(); i++) {
            WeightSpec s = of.specs.get(i);
            if (keep.test(s)) {
                kept.add(s);
                variables.add(of.variables.get(i));
                feeds.add(of.feeds.get(i));
                assigns.add(of.assigns.get(i));
                reads.put(s.name(), of.reads.get(s.name()));
            }
        }
        this.specs = List.copyOf(kept);
    }

    /**
     * The weights of {@code specs} that {@code keep} accepts, as a view on the same graph variables (no new ones): an
     * optimiser over the view trains only those, for instance one of two models kept in one set.
     */
    public ModelVariables subset(java.util.function.Predicate<WeightSpec> keep) {
        requireNonNull(keep, "keep is null");
        return new ModelVariables(this, keep, training);
    }

    /**
     * A view on the same variables that tells the layers built on it ({@link Sequential#build}) that the graph trains
     * them, so that they may choose a form with faster gradients ({@link Layer#build(org.tensorflow.op.Ops,
     * Operand, io.oddball.api.data.Shape, List, boolean)}).
     */
    public ModelVariables forTraining() {
        return new ModelVariables(this, s -> true, true);
    }

    /** Whether layers are built for a graph that trains these variables ({@link #forTraining()}). */
    public boolean training() {
        return training;
    }

    /** Creates the variables of {@code specs} for model {@code model} (letters, digits, {@code _}) in tf's graph. */
    public static ModelVariables create(Ops tf, String model, List<WeightSpec> specs) {
        requireNonNull(tf, "tf is null");
        requireNonNull(model, "model is null");
        requireNonNull(specs, "specs is null");
        if (!model.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("model name: expected letters, digits and _, found '" + model + "'");
        }
        return new ModelVariables(tf, model, specs);
    }

    /** The model name. */
    public String model() {
        return model;
    }

    /** The weights, in order. */
    public List<WeightSpec> specs() {
        return specs;
    }

    /** The value of weight {@code name} to build layers on. */
    public Operand<TFloat32> value(String name) {
        Operand<TFloat32> r = reads.get(name);
        if (r == null) {
            throw new IllegalArgumentException(model + ": no weight named " + name);
        }
        return r;
    }

    /** The variables themselves, in {@link #specs()} order: what gradients are taken with respect to. */
    public List<Variable<TFloat32>> variables() {
        return List.copyOf(variables);
    }

    /** Sets every variable to {@code weights} (same names and shapes) in {@code session}. */
    public void assign(Session session, Weights weights) {
        requireNonNull(session, "session is null");
        requireNonNull(weights, "weights is null");
        List<TFloat32> tensors = new ArrayList<>();
        try {
            Session.Runner r = session.runner();
            for (int i = 0; i < specs.size(); i++) {
                WeightSpec s = specs.get(i);
                if (!weights.shape(s.name()).equals(s.shape())) {
                    throw new IllegalArgumentException(model + ": weight " + s.name() + ": expected shape "
                            + s.shape() + ", found " + weights.shape(s.name()));
                }
                TFloat32 t = Tensors.floats(weights.array(s.name()), toLongs(s.shape()));
                tensors.add(t);
                r.feed(feeds.get(i), t).addTarget(assigns.get(i));
            }
            r.run().close();
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    /** The current values of every variable in {@code session}. */
    public Weights read(Session session) {
        requireNonNull(session, "session is null");
        if (specs.isEmpty()) {
            return Weights.wrap(specs, List.of());
        }
        Session.Runner r = session.runner();
        for (Variable<TFloat32> v : variables) {
            r.fetch(v);
        }
        List<float[]> arrays = new ArrayList<>();
        try (Result result = r.run()) {
            for (int i = 0; i < specs.size(); i++) {
                arrays.add(Tensors.toFloats(Tensors.get(result, i, TFloat32.class)));
            }
        }
        return Weights.wrap(specs, arrays);
    }

    static org.tensorflow.ndarray.Shape tfShape(io.oddball.api.data.Shape s) {
        return org.tensorflow.ndarray.Shape.of(toLongs(s));
    }

    private static long[] toLongs(io.oddball.api.data.Shape s) {
        long[] d = new long[s.rank()];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.dim(i);
        }
        return d;
    }
}
