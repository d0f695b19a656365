package io.oddball.tf.train;

import static java.util.Objects.requireNonNull;

import io.oddball.api.DetectorContext;
import io.oddball.api.FitOptions;
import io.oddball.api.Progress;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.tf.Tensors;
import io.oddball.tf.layers.Weights;
import io.oddball.tf.train.TrainingHistory.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Mini-batch training of a {@link TrainingGraph} on instances held in memory, as Keras' {@code fit}: a seeded
 * validation split (a random {@code validationSplit} fraction held out once), a seeded reshuffle of the training part
 * every epoch, the last batch smaller when the size does not divide, the epoch loss the instance-weighted mean of batch
 * losses. Early stopping monitors the validation loss (the training loss without a split): after
 * {@code earlyStoppingPatience} epochs without a strictly lower value training stops, and with a patience the weights
 * of the best epoch are restored at the end (Keras' {@code restore_best_weights}). A stop request (Ctrl-C) is honoured
 * between steps, also restoring the best completed epoch. Progress shows instances with loss and throughput; each
 * epoch is also logged.
 */
public final class TrainingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    private TrainingLoop() {
    }

    /**
     * Trains {@code graph} on {@code data}: {@code n × instanceShape} values row-major.
     *
     * @param task name shown with the progress, e.g. {@code ae fit}
     * @throws DataException when there is not one training instance
     */
    public static TrainingHistory run(TrainingGraph graph, float[] data, Shape instanceShape, FitOptions options,
            DetectorContext context, String task) {
        return run(graph, data, instanceShape, options, context, task, new Callbacks() { }, null);
    }

    /**
     * What a caller can add to a run: a learning-rate schedule and an action at the end of every epoch (a checkpoint).
     */
    public interface Callbacks {
        /** The learning rate of step {@code step} (0-based) of {@code totalSteps}; default: {@code base} throughout. */
        default double learningRate(double base, long step, long totalSteps) {
            return base;
        }

        /** Called after each completed epoch with the state so far (the variables hold this epoch's values). */
        default void epochEnd(Resume state) {
        }
    }

    /**
     * The state of a run after {@code epochs} completed epochs, enough to continue it (with the session's variables
     * and the optimiser's slots restored from a checkpoint taken at that point).
     *
     * @param epochs completed epochs
     * @param losses training loss per epoch
     * @param validationLosses validation loss per epoch
     * @param bestEpoch 1-based best epoch so far, 0 if none
     * @param sinceBest epochs since the best
     * @param adamSteps optimiser steps taken
     * @param trainNanos time spent in training steps
     */
    public record Resume(int epochs, List<Double> losses, List<Double> validationLosses, int bestEpoch,
            int sinceBest, long adamSteps, long trainNanos) {
        public Resume {
            losses = List.copyOf(losses);
            validationLosses = List.copyOf(validationLosses);
        }
    }

    /**
     * Trains as {@link #run(TrainingGraph, float[], Shape, FitOptions, DetectorContext, String)} with
     * {@code callbacks}, continuing from {@code resume} when not null: the shuffles of the completed epochs are
     * replayed so the continued run sees the batches an uninterrupted run would have seen. (A resumed run keeps the
     * restored weights as the best only from the epochs it runs itself.)
     */
    public static TrainingHistory run(TrainingGraph graph, float[] data, Shape instanceShape, FitOptions options,
            DetectorContext context, String task, Callbacks callbacks, Resume resume) {
        requireNonNull(callbacks, "callbacks is null");
        requireNonNull(graph, "graph is null");
        requireNonNull(data, "data is null");
        requireNonNull(instanceShape, "instanceShape is null");
        requireNonNull(options, "options is null");
        requireNonNull(context, "context is null");
        requireNonNull(task, "task is null");
        int f = Math.toIntExact(instanceShape.size());
        if (f == 0 || data.length % f != 0) {
            throw new IllegalArgumentException("data: expected a multiple of " + f + " values, found " + data.length);
        }
        int n = data.length / f;
        int nVal = validationCount(n, options);
        int nTrain = n - nVal;
        if (nTrain < 1) {
            throw new DataException(task + ": expected at least 1 training instance after a validation split of "
                    + options.validationSplit() + ", found " + nTrain + " of " + n);
        }
        int[] order = splitOrder(n, options);
        int[] train = Arrays.copyOfRange(order, 0, nTrain);
        int[] val = Arrays.copyOfRange(order, nTrain, n);
        Arrays.sort(train);
        SplittableRandom shuffle = new SplittableRandom(options.seed());

        List<Double> losses = new ArrayList<>();
        List<Double> valLosses = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        Weights bestWeights = null;
        int sinceBest = 0;
        Outcome outcome = Outcome.COMPLETED;
        long trainedInstances = 0;
        long trainNanos = 0;
        int epochs = options.epochs();
        int first = 1;
        long stepsPerEpoch = (nTrain + options.batchSize() - 1) / options.batchSize();
        long totalSteps = stepsPerEpoch * epochs;
        if (resume != null) {
            losses.addAll(resume.losses());
            valLosses.addAll(resume.validationLosses());
            bestEpoch = resume.bestEpoch();
            sinceBest = resume.sinceBest();
            List<Double> monitored = valLosses.isEmpty() ? losses : valLosses;
            if (bestEpoch > 0 && bestEpoch <= monitored.size()) {
                best = monitored.get(bestEpoch - 1);
            }
            if (bestEpoch == resume.epochs()) {
                bestWeights = graph.variables().read(graph.session());
            }
            trainNanos = resume.trainNanos();
            trainedInstances = (long) resume.epochs() * nTrain;
            graph.adam().setSteps(resume.adamSteps());
            for (int e = 0; e < resume.epochs(); e++) {
                shuffle(train, shuffle);
            }
            first = resume.epochs() + 1;
        }
        try (Progress progress = context.progress(task, (long) (epochs - first + 1) * nTrain, "img")) {
            epochLoop:
            for (int epoch = first; epoch <= epochs; epoch++) {
                shuffle(train, shuffle);
                double sum = 0;
                long seen = 0;
                long start = System.nanoTime();
                for (int at = 0; at < nTrain; at += options.batchSize()) {
                    if (context.stopRequested()) {
                        outcome = Outcome.STOP_REQUESTED;
                        trainNanos += System.nanoTime() - start;
                        break epochLoop;
                    }
                    int size = Math.min(options.batchSize(), nTrain - at);
                    double rate = callbacks.learningRate(options.learningRate(), graph.adam().steps(), totalSteps);
                    sum += (double) step(graph, data, f, instanceShape, train, at, size, rate) * size;
                    seen += size;
                    trainedInstances += size;
                    double speed = seen / ((System.nanoTime() - start) / 1e9);
                    progress.step(size);
                    progress.extra(String.format(Locale.ROOT, "epoch %d/%d loss %.5g %.0f img/s", epoch, epochs,
                            sum / seen, speed));
                }
                trainNanos += System.nanoTime() - start;
                double loss = sum / seen;
                losses.add(loss);
                double monitored = loss;
                if (nVal > 0) {
                    monitored = evaluate(graph, data, f, instanceShape, val, options.batchSize());
                    valLosses.add(monitored);
                }
                LOG.info("{}: epoch {}/{}: loss {}{}, {} img/s", task, epoch, epochs, fmt(loss),
                        nVal > 0 ? ", validation loss " + fmt(monitored) : "",
                        String.format(Locale.ROOT, "%.0f", seen / ((System.nanoTime() - start) / 1e9)));
                if (!Double.isFinite(monitored)) {
                    outcome = Outcome.DIVERGED;
                    LOG.warn("{}: loss became {} at epoch {}; stopping", task, monitored, epoch);
                    break;
                }
                if (monitored < best) {
                    best = monitored;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    bestWeights = graph.variables().read(graph.session());
                } else {
                    sinceBest++;
                    if (options.earlyStoppingPatience() > 0 && sinceBest >= options.earlyStoppingPatience()) {
                        outcome = Outcome.EARLY_STOPPED;
                        LOG.info("{}: no improvement for {} epochs; stopping early, best epoch {}", task, sinceBest,
                                bestEpoch);
                        callbacks.epochEnd(new Resume(epoch, losses, valLosses, bestEpoch, sinceBest,
                                graph.adam().steps(), trainNanos));
                        break;
                    }
                }
                callbacks.epochEnd(new Resume(epoch, losses, valLosses, bestEpoch, sinceBest, graph.adam().steps(),
                        trainNanos));
            }
        }
        // Keep the final weights only when all epochs ran without a patience (Alibi's and Keras' default).
        boolean wantBest = outcome != Outcome.COMPLETED || options.earlyStoppingPatience() > 0;
        boolean restore = wantBest && bestWeights != null
                && (bestEpoch != losses.size() || outcome == Outcome.STOP_REQUESTED);
        if (restore) {
            graph.variables().assign(graph.session(), bestWeights);
            LOG.info("{}: restored the weights of epoch {}", task, bestEpoch);
        }
        double ips = trainNanos > 0 ? trainedInstances / (trainNanos / 1e9) : 0;
        return new TrainingHistory(losses, valLosses, bestEpoch, outcome, restore, graph.adam().steps(), ips);
    }

    private static float step(TrainingGraph g, float[] data, int f, Shape shape, int[] rows, int at, int size,
            double rate) {
        List<TFloat32> feeds = new ArrayList<>();
        try (TFloat32 x = gather(data, f, shape, rows, at, size)) {
            Session.Runner r = g.session().runner().feed(g.input(), x).fetch(g.loss());
            for (TrainingGraph.TrainingFeed tf : g.trainingFeeds()) {
                TFloat32 v = Tensors.floats(new float[] {tf.value()});
                feeds.add(v);
                r.feed(tf.placeholder(), v);
            }
            feeds.addAll(g.adam().addStep(r, rate));
            float loss;
            try (Result out = r.run()) {
                loss = Tensors.get(out, 0, TFloat32.class).getFloat();
            }
            if (g.afterStep() != null) {
                g.session().runner().addTarget(g.afterStep()).run().close();
            }
            return loss;
        } finally {
            feeds.forEach(TFloat32::close);
        }
    }

    /** Instance-weighted mean loss of {@code rows} without training. */
    public static double evaluate(TrainingGraph g, float[] data, Shape instanceShape, int[] rows, int batchSize) {
        return evaluate(g, data, Math.toIntExact(instanceShape.size()), instanceShape, rows, batchSize);
    }

    private static double evaluate(TrainingGraph g, float[] data, int f, Shape shape, int[] rows, int batchSize) {
        double sum = 0;
        for (int at = 0; at < rows.length; at += batchSize) {
            int size = Math.min(batchSize, rows.length - at);
            try (TFloat32 x = gather(data, f, shape, rows, at, size);
                    Result out = g.session().runner().feed(g.input(), x).fetch(g.monitoredLoss()).run()) {
                sum += (double) Tensors.get(out, 0, TFloat32.class).getFloat() * size;
            }
        }
        return sum / rows.length;
    }

    private static TFloat32 gather(float[] data, int f, Shape shape, int[] rows, int at, int size) {
        float[] buf = new float[size * f];
        for (int i = 0; i < size; i++) {
            System.arraycopy(data, rows[at + i] * f, buf, i * f, f);
        }
        int[] d = shape.prepend(size).dims();
        long[] dims = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            dims[i] = d[i];
        }
        return Tensors.floats(buf, dims);
    }

    /**
     * The instances a fit of {@code n} instances with these options holds out for validation
     * ({@code validationSplit}, drawn with {@code seed}), in the order the fit uses them; empty without a split. For
     * tools that evaluate a fitted model on data it did not train on.
     */
    public static int[] validationRows(int n, FitOptions options) {
        return Arrays.copyOfRange(splitOrder(n, options), n - validationCount(n, options), n);
    }

    private static int validationCount(int n, FitOptions options) {
        return n - (int) (n * (1 - options.validationSplit()));
    }

    private static int[] splitOrder(int n, FitOptions options) {
        return permutation(n, new SplittableRandom(options.seed() ^ 0x5DEECE66DL));
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
