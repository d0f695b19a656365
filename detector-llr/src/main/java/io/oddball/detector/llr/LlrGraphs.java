package io.oddball.detector.llr;

import io.oddball.api.DetectorContext;
import io.oddball.api.data.Shape;
import io.oddball.detector.llr.pixelcnn.DiscretizedLogistic;
import io.oddball.detector.llr.pixelcnn.PixelCnn;
import io.oddball.tf.Devices;
import io.oddball.tf.Sessions;
import io.oddball.tf.TfOptions;
import io.oddball.tf.io.InferenceModel;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.WeightSpec;
import io.oddball.tf.layers.Weights;
import io.oddball.tf.train.Adam;
import io.oddball.tf.train.TrainingGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * The graphs of the likelihood-ratio detector: both PixelCNN++ models (weights {@code sem_*} and {@code bg_*}) in one
 * graph, trained in the same step — the semantic model on the batch, the background model on a mutation of it drawn in
 * the graph — and the inference graph that scores with both.
 */
final class LlrGraphs {
    /** Model name of the inference graph's variables ({@code llr_sem_<weight>}, {@code llr_bg_<weight>}). */
    static final String MODEL = "llr";
    static final String SEM = "sem_";
    static final String BG = "bg_";
    static final String FEATURE_SCORES = "feature_scores";
    static final String LOG_PROB_SEMANTIC = "log_prob_semantic";
    static final String LOG_PROB_BACKGROUND = "log_prob_background";
    static final String PARAMS_SEMANTIC = "params_semantic";
    static final String PARAMS_BACKGROUND = "params_background";

    private LlrGraphs() {
    }

    /** The weights of both models: each PixelCNN++ weight as {@code sem_<name>} and {@code bg_<name>}. */
    static List<WeightSpec> specs(PixelCnn net) {
        List<WeightSpec> out = new ArrayList<>();
        for (String prefix : List.of(SEM, BG)) {
            for (WeightSpec w : net.weights()) {
                out.add(new WeightSpec(prefix + w.name(), w.shape(), w.initializer()));
            }
        }
        return out;
    }

    /**
     * Initial weights: the background model starts as an exact copy of the semantic one, so the two models share
     * their starting point and (with the same batches and dropout masks) much of their optimisation noise, which then
     * cancels in the ratio.
     */
    static Weights initial(PixelCnn net, long seed) {
        Weights one = Weights.initial(net.weights(), seed);
        List<float[]> arrays = new ArrayList<>();
        for (int copy = 0; copy < 2; copy++) {
            for (WeightSpec w : net.weights()) {
                float[] v = new float[Math.toIntExact(w.shape().size())];
                one.values(w.name()).get(v);
                arrays.add(v);
            }
        }
        return Weights.wrap(specs(net), arrays);
    }

    /** 8-bit values {@code [0, 255]} as PixelCNN++ inputs in {@code [-1, 1]}. */
    static Operand<TFloat32> unit(Ops tf, Operand<TFloat32> x255) {
        return tf.math.sub(tf.math.div(x255, tf.constant(127.5f)), tf.constant(1f));
    }

    private static Function<String, Operand<TFloat32>> prefixed(ModelVariables vars, String prefix) {
        return name -> vars.value(prefix + name);
    }

    private static Placeholder<TFloat32> input(Ops tf, Shape image) {
        return tf.withName("input").placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1,
                image.dim(0), image.dim(1), image.dim(2))));
    }

    /** Sum over all but the first axis. */
    private static Operand<TFloat32> perInstance(Ops tf, Operand<TFloat32> perPixel) {
        return tf.reduceSum(perPixel, tf.constant(new int[] {1, 2, 3}));
    }

    /**
     * The training graph and its session, variables set to {@code start} (live and averaged): objective = mean
     * negative log-likelihood (nats per image) of the semantic model on the batch + that of the background model on
     * the mutated batch + {@code l2Weight}·Σ(background kernels²). The loss shown and monitored is the semantic
     * model's bits per dimension; validation uses the averaged weights without dropout. With {@code semanticOnly} the
     * objective is the semantic model's alone and only its weights and their average change: the background model is
     * not even computed (the graph has the same variables, so a checkpoint of either graph restores into the other).
     */
    static Training training(LlrConfig config, PixelCnn net, Weights start, long seed, DetectorContext context,
            TfOptions options, boolean semanticOnly) {
        Graph g = new Graph();
        try {
            Ops tf = Devices.place(Ops.create(g), context);
            Shape image = net.instance();
            List<WeightSpec> specs = specs(net);
            ModelVariables live = ModelVariables.create(tf, "llr", specs);
            ModelVariables avg = ModelVariables.create(tf, "llrema", specs);
            Placeholder<TFloat32> x = input(tf, image);
            PlaceholderWithDefault<TFloat32> keep = tf.withName("keep").placeholderWithDefault(tf.constant(1f),
                    org.tensorflow.ndarray.Shape.scalar());
            Operand<TFloat32> lpSem = net.logProb(tf, options, prefixed(live, SEM), unit(tf, x), keep, seed);
            Operand<TFloat32> nllSem = tf.math.neg(tf.math.mean(perInstance(tf, lpSem), tf.constant(0)));
            Operand<TFloat32> objective = nllSem;
            if (!semanticOnly) {
                Operand<TFloat32> mutated = mutate(tf, x, config.mutationRate(),
                        config.mutation().equals(LlrConfig.MUTATION_REN), seed);
                Operand<TFloat32> lpBg = net.logProb(tf, options, prefixed(live, BG), unit(tf, mutated), keep, seed);
                objective = tf.math.add(nllSem, tf.math.neg(tf.math.mean(perInstance(tf, lpBg), tf.constant(0))));
                if (config.l2Weight() > 0) {
                    List<Operand<TFloat32>> squares = new ArrayList<>();
                    for (WeightSpec w : net.weights()) {
                        if (w.name().endsWith("_kernel")) {
                            Operand<TFloat32> v = live.value(BG + w.name());
                            squares.add(tf.reduceSum(tf.math.mul(v, v), tf.constant(new int[] {0, 1, 2, 3})));
                        }
                    }
                    objective = tf.math.add(objective, tf.math.mul(tf.constant((float) config.l2Weight()),
                            tf.math.addN(squares)));
                }
            }
            // the weights that train (and are averaged): both models', or the semantic model's alone
            java.util.function.Predicate<String> trains = name -> !semanticOnly || name.startsWith(SEM);
            float bitsPerNat = (float) (1 / (image.size() * Math.log(2)));
            Operand<TFloat32> shown = tf.math.mul(nllSem, tf.constant(bitsPerNat));
            Operand<TFloat32> validation = shown;
            Op afterStep = null;
            ModelVariables kept = live;
            if (config.emaDecay() > 0) {
                Operand<TFloat32> lpAvg = net.logProb(tf, options, prefixed(avg, SEM), unit(tf, x), null, seed);
                validation = tf.math.mul(tf.math.neg(tf.math.mean(perInstance(tf, lpAvg), tf.constant(0))),
                        tf.constant(bitsPerNat));
                List<Op> updates = new ArrayList<>();
                Operand<TFloat32> d = tf.constant((float) config.emaDecay());
                Operand<TFloat32> oneMinus = tf.constant((float) (1 - config.emaDecay()));
                for (int i = 0; i < specs.size(); i++) {
                    String name = specs.get(i).name();
                    if (!trains.test(name)) {
                        continue;
                    }
                    updates.add(tf.assign(avg.variables().get(i), tf.math.add(tf.math.mul(avg.value(name), d),
                            tf.math.mul(live.value(name), oneMinus))));
                }
                afterStep = tf.withControlDependencies(updates).withName("ema_update").noOp();
                kept = avg;
            }
            Adam adam = new Adam(tf, objective, semanticOnly ? live.subset(w -> trains.test(w.name())) : live);
            Session s = new Session(g, Sessions.branchParallelConfig());
            try {
                live.assign(s, start);
                avg.assign(s, start);
                adam.reset(s);
                List<TrainingGraph.TrainingFeed> feeds = config.model().dropout() > 0
                        ? List.of(new TrainingGraph.TrainingFeed(keep, (float) (1 - config.model().dropout())))
                        : List.of();
                TrainingGraph tg = new TrainingGraph(s, x, shown, adam, kept, feeds, afterStep, validation);
                return new Training(g, tg, live, avg);
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /**
     * Each value of {@code x} (8-bit, as floats) independently with probability {@code rate} replaced by one of the
     * other 255 values, uniformly: {@code (x + U{1..255}) mod 256}; with {@code ren}, as Ren et al.'s
     * {@code mutate_x}, {@code (x + U{0..255}) mod 256}, a uniform value that may be the same.
     */
    static Operand<TFloat32> mutate(Ops tf, Operand<TFloat32> x, double rate, boolean ren, long seed) {
        if (rate == 0) {
            return x;
        }
        Operand<TFloat32> u = tf.random.randomUniform(tf.shape(x), TFloat32.class, RandomUniform.seed(seed),
                RandomUniform.seed2(1L));
        Operand<TFloat32> mask = tf.dtypes.cast(tf.math.less(u, tf.constant((float) rate)), TFloat32.class);
        Operand<TFloat32> v = tf.random.randomUniform(tf.shape(x), TFloat32.class, RandomUniform.seed(seed),
                RandomUniform.seed2(2L));
        Operand<TFloat32> shift = ren ? tf.math.minimum(tf.math.floor(tf.math.mul(v, tf.constant(256f))),
                tf.constant(255f))
                : tf.math.add(tf.math.floor(tf.math.mul(v, tf.constant(255f))), tf.constant(1f));
        Operand<TFloat32> moved = tf.math.floorMod(tf.math.add(tf.math.round(x), shift), tf.constant(256f));
        return tf.math.add(tf.math.mul(mask, moved), tf.math.mul(tf.math.sub(tf.constant(1f), mask), x));
    }

    /** The training graph, its session and both sets of variables; closes the session, then the graph. */
    record Training(Graph graph, TrainingGraph training, ModelVariables live, ModelVariables average)
            implements AutoCloseable {
        /** The weights to score with: the average when kept, else the trained ones. */
        Weights scoringWeights() {
            return training.variables().read(training.session());
        }

        @Override
        public void close() {
            training.session().close();
            graph.close();
        }
    }

    /** Instance shapes of the inference graph's outputs for images {@code image}. */
    static Map<String, Shape> outputShapes(PixelCnn net) {
        Shape image = net.instance();
        Shape params = Shape.of(image.dim(0), image.dim(1), net.outputChannels());
        Map<String, Shape> m = new LinkedHashMap<>();
        m.put(FEATURE_SCORES, image);
        m.put(LOG_PROB_SEMANTIC, image);
        m.put(LOG_PROB_BACKGROUND, image);
        m.put(PARAMS_SEMANTIC, params);
        m.put(PARAMS_BACKGROUND, params);
        return m;
    }

    /**
     * The inference graph on {@code weights}: {@code input} (8-bit values, {@code [-1, H, W, C]}) → per-value log
     * p of each model, their negated difference (the feature scores, −LLR per value) and each model's mixture
     * parameters (for sampling); built as {@code options} say.
     */
    static InferenceModel inference(PixelCnn net, Weights weights, DetectorContext context, TfOptions options) {
        return InferenceModel.build(context, options, MODEL, specs(net), weights, (tf, vars, o) -> {
            Placeholder<TFloat32> x = input(tf, net.instance());
            Operand<TFloat32> u = unit(tf, x);
            Operand<TFloat32> pSem = net.params(tf, o, prefixed(vars, SEM), u, null, 0);
            Operand<TFloat32> pBg = net.params(tf, o, prefixed(vars, BG), u, null, 0);
            int mix = net.spec().numLogisticMix();
            int c = net.instance().dim(2);
            Operand<TFloat32> lpSem = DiscretizedLogistic.logProb(tf, u, pSem, mix, c);
            Operand<TFloat32> lpBg = DiscretizedLogistic.logProb(tf, u, pBg, mix, c);
            Operand<TFloat32> fs = tf.math.sub(lpBg, lpSem);
            Map<String, Shape> shapes = outputShapes(net);
            Map<String, InferenceModel.Output> outs = new LinkedHashMap<>();
            outs.put(FEATURE_SCORES, new InferenceModel.Output(tf.withName(FEATURE_SCORES).identity(fs),
                    shapes.get(FEATURE_SCORES)));
            outs.put(LOG_PROB_SEMANTIC, new InferenceModel.Output(tf.withName(LOG_PROB_SEMANTIC).identity(lpSem),
                    shapes.get(LOG_PROB_SEMANTIC)));
            outs.put(LOG_PROB_BACKGROUND, new InferenceModel.Output(tf.withName(LOG_PROB_BACKGROUND).identity(lpBg),
                    shapes.get(LOG_PROB_BACKGROUND)));
            outs.put(PARAMS_SEMANTIC, new InferenceModel.Output(tf.withName(PARAMS_SEMANTIC).identity(pSem),
                    shapes.get(PARAMS_SEMANTIC)));
            outs.put(PARAMS_BACKGROUND, new InferenceModel.Output(tf.withName(PARAMS_BACKGROUND).identity(pBg),
                    shapes.get(PARAMS_BACKGROUND)));
            return new InferenceModel.Spec(x, net.instance(), outs);
        });
    }
}
