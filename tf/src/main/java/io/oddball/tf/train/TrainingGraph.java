package io.oddball.tf.train;

import static java.util.Objects.requireNonNull;

import io.oddball.tf.layers.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * What the {@link TrainingLoop} drives: a session, the placeholder fed with a batch of instances, the scalar mean loss
 * of that batch, the optimiser and the variables it trains (snapshotted for the best epoch).
 *
 * @param session a session on the training graph, variables initialised
 * @param input batch placeholder, instances first
 * @param loss the mean loss of the batch fed to {@code input}
 * @param adam the optimiser over {@code variables}
 * @param variables the model's variables
 */
public record TrainingGraph(Session session, Placeholder<TFloat32> input, Operand<TFloat32> loss, Adam adam,
        ModelVariables variables) {
    public TrainingGraph {
        requireNonNull(session, "session is null");
        requireNonNull(input, "input is null");
        requireNonNull(loss, "loss is null");
        requireNonNull(adam, "adam is null");
        requireNonNull(variables, "variables is null");
    }
}
