package io.oddball.tf.train;

import static java.util.Objects.requireNonNull;

import io.oddball.tf.layers.ModelVariables;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * What the {@link TrainingLoop} drives: a session, the placeholder fed with a batch of instances, the scalar mean loss
 * of that batch, the optimiser and the variables snapshotted for the best epoch (the trained ones, or their moving
 * average when the graph keeps one), plus optional parts: scalar placeholders fed only in training steps (a dropout
 * keep-probability), an op run after every step (a weight-average update) and a separate validation loss (on averaged
 * weights, without dropout).
 *
 * @param session a session on the training graph, variables initialised
 * @param input batch placeholder, instances first
 * @param loss the mean loss of the batch fed to {@code input}, shown and monitored
 * @param adam the optimiser
 * @param variables the variables whose best-epoch values are kept
 * @param trainingFeeds scalar placeholders and the values fed to them in training steps only
 * @param afterStep run after each step, or null
 * @param validationLoss the loss evaluated on validation data, or null for {@code loss}
 */
public record TrainingGraph(Session session, Placeholder<TFloat32> input, Operand<TFloat32> loss, Adam adam,
        ModelVariables variables, List<TrainingFeed> trainingFeeds, Op afterStep, Operand<TFloat32> validationLoss) {
    public TrainingGraph {
        requireNonNull(session, "session is null");
        requireNonNull(input, "input is null");
        requireNonNull(loss, "loss is null");
        requireNonNull(adam, "adam is null");
        requireNonNull(variables, "variables is null");
        trainingFeeds = List.copyOf(trainingFeeds);
    }

    /** A graph with only a loss, its optimiser and its variables. */
    public TrainingGraph(Session session, Placeholder<TFloat32> input, Operand<TFloat32> loss, Adam adam,
            ModelVariables variables) {
        this(session, input, loss, adam, variables, List.of(), null, null);
    }

    /** The loss evaluated on validation data. */
    public Operand<TFloat32> monitoredLoss() {
        return validationLoss == null ? loss : validationLoss;
    }

    /**
     * A scalar placeholder fed with {@code value} in training steps only (elsewhere it takes its default).
     *
     * @param placeholder a scalar float placeholder (with default)
     * @param value the value in training steps
     */
    public record TrainingFeed(Operand<TFloat32> placeholder, float value) {
        public TrainingFeed {
            requireNonNull(placeholder, "placeholder is null");
        }
    }
}
