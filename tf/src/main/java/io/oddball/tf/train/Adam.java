package io.oddball.tf.train;

import static java.util.Objects.requireNonNull;

import io.oddball.tf.Tensors;
import io.oddball.tf.layers.ModelVariables;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam (Kingma and Ba 2015) minimising a loss over the variables of one {@link ModelVariables} only, with TensorFlow's
 * {@code ApplyAdam} kernel: at step t, {@code m ← β1·m + (1 − β1)·g}, {@code v ← β2·v + (1 − β2)·g²},
 * {@code w ← w − lr·sqrt(1 − β2^t)/(1 − β1^t) · m / (sqrt(v) + ε)}. Gradients come from {@code addGradients} on the
 * chosen variables (tensorflow-framework's {@code Optimizer.minimize} trains every variable of the graph). Defaults as
 * Keras: β1 0.9, β2 0.999, ε 1e-7.
 *
 * <p>Every update waits for every gradient, so no update overwrites a weight that back-propagation still reads.
 *
 * <p>The step count lives in this object: one training loop drives it at a time.
 */
public final class Adam {
    /** Keras' defaults. */
    public static final double BETA1 = 0.9;
    /** Keras' defaults. */
    public static final double BETA2 = 0.999;
    /** Keras' defaults. */
    public static final double EPSILON = 1e-7;

    private final double beta1;
    private final double beta2;
    private final Placeholder<TFloat32> learningRate;
    private final Placeholder<TFloat32> beta1Power;
    private final Placeholder<TFloat32> beta2Power;
    private final Op update;
    private final Op resetSlots;
    private long step;

    /** Adam with Keras' defaults minimising {@code loss} over {@code vars}. */
    public Adam(Ops tf, Operand<TFloat32> loss, ModelVariables vars) {
        this(tf, loss, vars, BETA1, BETA2, EPSILON);
    }

    /** Adam with the given hyper-parameters minimising {@code loss} over {@code vars}, built into tf's graph. */
    public Adam(Ops tf, Operand<TFloat32> loss, ModelVariables vars, double beta1, double beta2, double epsilon) {
        requireNonNull(tf, "tf is null");
        requireNonNull(loss, "loss is null");
        requireNonNull(vars, "vars is null");
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0)) {
            throw new IllegalArgumentException("adam: expected beta1, beta2 in [0, 1) and epsilon > 0, found "
                    + beta1 + ", " + beta2 + ", " + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        String prefix = vars.model() + "_adam";
        learningRate = tf.withName(prefix + "_lr").placeholder(TFloat32.class,
                Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
        beta1Power = tf.withName(prefix + "_beta1_power").placeholder(TFloat32.class,
                Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
        beta2Power = tf.withName(prefix + "_beta2_power").placeholder(TFloat32.class,
                Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
        List<Variable<TFloat32>> variables = vars.variables();
        Gradients grads = tf.gradients(loss, variables);
        // Layers read variables through Identity, which aliases the buffer ApplyAdam updates in place: without this
        // barrier an update can run before the back-propagation that still reads the old value (a race that made
        // training non-deterministic).
        List<Op> allGradients = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            allGradients.add(grads.dy(i));
        }
        Ops after = tf.withControlDependencies(allGradients);
        List<Op> updates = new ArrayList<>();
        List<Op> resets = new ArrayList<>();
        Operand<TFloat32> b1 = tf.constant((float) beta1);
        Operand<TFloat32> b2 = tf.constant((float) beta2);
        Operand<TFloat32> eps = tf.constant((float) epsilon);
        for (int i = 0; i < variables.size(); i++) {
            Variable<TFloat32> v = variables.get(i);
            org.tensorflow.ndarray.Shape shape = v.shape();
            String name = v.op().name();
            Variable<TFloat32> m = tf.withName(name + "_m").variable(shape, TFloat32.class);
            Variable<TFloat32> s = tf.withName(name + "_v").variable(shape, TFloat32.class);
            Operand<TFloat32> zeros = tf.zeros(tf.constant(shape.asArray()), TFloat32.class);
            resets.add(tf.assign(m, zeros));
            resets.add(tf.assign(s, zeros));
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) (Operand<?>) grads.dy(i);
            updates.add(after.train.applyAdam(v, m, s, beta1Power, beta2Power, learningRate, b1, b2, eps, g));
        }
        update = tf.withControlDependencies(updates).withName(prefix + "_update").noOp();
        resetSlots = tf.withControlDependencies(resets).withName(prefix + "_reset").noOp();
    }

    /** Zeroes the moment estimates and the step count; call once after the model's variables are set. */
    public void reset(Session session) {
        requireNonNull(session, "session is null");
        session.runner().addTarget(resetSlots).run().close();
        step = 0;
    }

    /** Sets the step count (bias correction) when continuing from a checkpoint of the slots. */
    public void setSteps(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, found " + steps);
        }
        step = steps;
    }

    /** Steps taken since the last {@link #reset}. */
    public long steps() {
        return step;
    }

    /**
     * Adds one update to {@code runner} (whose feeds compute the loss) at {@code rate}, and counts the step; the
     * caller runs it and closes the tensors returned, after the run.
     */
    public List<TFloat32> addStep(Session.Runner runner, double rate) {
        requireNonNull(runner, "runner is null");
        step++;
        TFloat32 lr = Tensors.floats(new float[] {(float) rate});
        TFloat32 p1 = Tensors.floats(new float[] {(float) Math.pow(beta1, step)});
        TFloat32 p2 = Tensors.floats(new float[] {(float) Math.pow(beta2, step)});
        runner.feed(learningRate, lr).feed(beta1Power, p1).feed(beta2Power, p2).addTarget(update);
        return List.of(lr, p1, p2);
    }
}
