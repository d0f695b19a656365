package io.oddball.tf.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.data.Shape;
import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import io.oddball.tf.layers.Initializer;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.WeightSpec;
import io.oddball.tf.layers.Weights;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class AdamTest {
    private static final float[][] X = {{1f, 2f}, {-1f, 0.5f}, {3f, -2f}};
    private static final float[] T = {1f, -2f, 0.5f};

    @Test
    void threeStepsMatchTheFormulaComputedInPlainJava() {
        double lr = 0.1;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            WeightSpec w = new WeightSpec("w", Shape.of(2, 1), (s, r) -> new float[] {0.3f, -0.7f});
            ModelVariables vars = ModelVariables.create(tf, "lin", List.of(w));
            // A second model in the same graph, which Adam must leave alone.
            ModelVariables other = ModelVariables.create(tf, "other", List.of(new WeightSpec("u", Shape.of(2, 1),
                    Initializer.glorotUniform())));
            Operand<TFloat32> pred = tf.linalg.matMul(tf.constant(X), vars.value("w"));
            Operand<TFloat32> both = tf.math.add(pred, tf.linalg.matMul(tf.constant(X), other.value("u")));
            Operand<TFloat32> loss = tf.math.mean(tf.math.square(tf.math.sub(tf.reshape(both, tf.constant(
                    new int[] {3})), tf.constant(T))), tf.constant(0));
            Adam adam = new Adam(tf, loss, vars);
            try (Session s = Sessions.open(g)) {
                vars.assign(s, Weights.initial(vars.specs(), 0));
                Weights otherBefore = Weights.initial(other.specs(), 5);
                other.assign(s, otherBefore);
                adam.reset(s);
                float[] u = new float[2];
                otherBefore.values("u").get(u);
                double[] wj = {0.3, -0.7};
                double[] m = new double[2];
                double[] v = new double[2];
                for (int step = 1; step <= 3; step++) {
                    double[] grad = new double[2];
                    for (int i = 0; i < 3; i++) {
                        double e = X[i][0] * (wj[0] + u[0]) + X[i][1] * (wj[1] + u[1]) - T[i];
                        grad[0] += 2.0 / 3 * e * X[i][0];
                        grad[1] += 2.0 / 3 * e * X[i][1];
                    }
                    double lrT = lr * Math.sqrt(1 - Math.pow(Adam.BETA2, step)) / (1 - Math.pow(Adam.BETA1, step));
                    for (int j = 0; j < 2; j++) {
                        m[j] = Adam.BETA1 * m[j] + (1 - Adam.BETA1) * grad[j];
                        v[j] = Adam.BETA2 * v[j] + (1 - Adam.BETA2) * grad[j] * grad[j];
                        wj[j] -= lrT * m[j] / (Math.sqrt(v[j]) + Adam.EPSILON);
                    }
                    Session.Runner r = s.runner().fetch(loss);
                    List<TFloat32> feeds = adam.addStep(r, lr);
                    try (Result ignored = r.run()) {
                        feeds.forEach(TFloat32::close);
                    }
                    float[] got = new float[2];
                    vars.read(s).values("w").get(got);
                    assertThat((double) got[0]).as("step %d", step).isCloseTo(wj[0], within(1e-5));
                    assertThat((double) got[1]).as("step %d", step).isCloseTo(wj[1], within(1e-5));
                }
                assertThat(adam.steps()).isEqualTo(3);
                float[] uAfter = new float[2];
                other.read(s).values("u").get(uAfter);
                assertThat(uAfter).containsExactly(u);
            }
        }
    }

    @Test
    void addStepFeedsScalars() {
        try (TFloat32 t = Tensors.floats(new float[] {2f})) {
            assertThat(t.shape().numDimensions()).isZero();
        }
    }
}
