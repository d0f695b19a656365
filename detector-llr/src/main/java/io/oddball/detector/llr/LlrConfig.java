package io.oddball.detector.llr;

import static java.util.Objects.requireNonNull;

import io.oddball.api.ConfigSchema;
import io.oddball.api.Params;
import io.oddball.detector.llr.pixelcnn.PixelCnnSpec;
import io.oddball.tf.DetectorParams;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code llr} detector's parameters.
 *
 * @param model the PixelCNN++ of both the semantic and the background model
 * @param mutationRate probability that a pixel of a background training image is replaced by a different value
 * @param l2Weight weight of the summed squared kernels of the background model in its loss
 * @param emaDecay decay of the exponential moving average of the weights that is scored and saved (0: none)
 * @param lrSchedule {@code cosine} (decay to 0 over the run) or {@code constant}
 * @param inferenceBatchSize most instances per TensorFlow run when scoring
 * @param backgroundEpochs epochs the background model trains (with the semantic one, from the start), after which its
 *     averaged weights are kept and the semantic model trains alone; 0: every epoch of the fit
 * @param snapshotDir a folder that receives the scored weights of both models after every epoch of a fit
 *     ({@code epoch-NNN.npy}, {@link LlrDetector#withSnapshot}), or null for none; where a fit writes, not a
 *     parameter of the model, so not among {@link #toMap()}
 * @param mutation how a background training value is mutated: {@value #MUTATION_DIFFERENT} (replaced by one of the
 *     other 255 values, uniformly) or {@value #MUTATION_REN} (Ren et al.'s {@code mutate_x}: a uniform value of
 *     0–255 added modulo 256, which keeps the value with probability 1/256)
 * @param score the instance score ({@link LlrScores#NAMES}); null while not chosen: a new detector then scores with
 *     {@value LlrScores#COMBINED}, a detector saved before scores could be chosen with {@value LlrScores#LLR} (what
 *     its threshold was inferred on)
 */
public record LlrConfig(PixelCnnSpec model, double mutationRate, double l2Weight, double emaDecay, String lrSchedule,
        int inferenceBatchSize, int backgroundEpochs, Path snapshotDir, String mutation, String score) {
    /** Mutation: another value, uniformly. */
    public static final String MUTATION_DIFFERENT = "different";
    /** Mutation: Ren et al.'s, a uniform value added modulo 256. */
    public static final String MUTATION_REN = "ren";
    static final int DEFAULT_INFERENCE_BATCH = 256;
    /** Most hierarchies: 2^9 pixels a side before the last one, far beyond the 28×28 and 32×32 images it is for. */
    static final int MAX_HIERARCHIES = 10;

    public LlrConfig {
        requireNonNull(model, "model is null");
        requireNonNull(lrSchedule, "lrSchedule is null");
        requireNonNull(mutation, "mutation is null");
    }

    /** This configuration scoring with {@code name}. */
    public LlrConfig withScore(String name) {
        return new LlrConfig(model, mutationRate, l2Weight, emaDecay, lrSchedule, inferenceBatchSize,
                backgroundEpochs, snapshotDir, mutation, requireNonNull(name, "name is null"));
    }

    /** The schema of {@link #from}. */
    public static ConfigSchema schema() {
        return ConfigSchema.of(
                new ConfigSchema.Param("numResnet", "int", "2", "gated residual blocks per hierarchy"),
                new ConfigSchema.Param("numHierarchies", "int", "2", "resolutions (28×28 → 14×14 with 2)"),
                new ConfigSchema.Param("numFilters", "int", "32", "channels of the convolutions"),
                new ConfigSchema.Param("receptiveFieldDims", "list", "[3, 3]",
                        "odd height and width of the convolutions' receptive field"),
                new ConfigSchema.Param("numLogisticMix", "int", "1", "logistic components per pixel"),
                new ConfigSchema.Param("dropout", "double", "0.1", "channel-dropout rate in the residual blocks (whole feature maps)"),
                new ConfigSchema.Param("mutationRate", "double", "0.2",
                        "probability a background training pixel is replaced by a different uniform value"),
                new ConfigSchema.Param("mutation", "string", MUTATION_DIFFERENT,
                        "different (another value, uniformly) or ren (Ren et al.: a uniform value added modulo 256)"),
                new ConfigSchema.Param("l2Weight", "double", "0.0",
                        "L2 weight on the background model's kernels (Ren et al.'s, as Keras' l2: weight x sum of squares)"),
                new ConfigSchema.Param("score", "string", LlrScores.COMBINED,
                        "instance score: combined, llr, likelihood, complexity (Serra's S) or typicality"),
                new ConfigSchema.Param("emaDecay", "double", "0.999",
                        "exponential moving average of the weights that is scored and saved (0: off)"),
                new ConfigSchema.Param("lrSchedule", "string", "cosine", "cosine (decays to 0) or constant"),
                new ConfigSchema.Param("backgroundEpochs", "int", "0",
                        "epochs the background model trains before its weights are kept (0: all)"),
                new ConfigSchema.Param("inferenceBatchSize", "int", String.valueOf(DEFAULT_INFERENCE_BATCH),
                        "most instances per TensorFlow run when scoring (bounds memory)"),
                new ConfigSchema.Param("snapshotDir", "string", "",
                        "a folder for the scored weights of every epoch, epoch-NNN.npy (to study training; none)"));
    }

    /** Reads the parameters, recording bad values as problems of {@code p}. */
    public static LlrConfig from(Params p) {
        requireNonNull(p, "p is null");
        int numResnet = DetectorParams.positive(p, "numResnet", 2);
        int numHierarchies = DetectorParams.positive(p, "numHierarchies", 2);
        if (numHierarchies > MAX_HIERARCHIES) {
            p.problem("numHierarchies", "an integer from 1 to " + MAX_HIERARCHIES + " (each halves the image)",
                    numHierarchies);
            numHierarchies = 2;
        }
        int numFilters = DetectorParams.positive(p, "numFilters", 32);
        List<Double> rf = p.getDoubleList("receptiveFieldDims", List.of(3.0, 3.0));
        int rfH = 3;
        int rfW = 3;
        if (rf.size() != 2 || !oddInt(rf.get(0)) || !oddInt(rf.get(1))) {
            p.problem("receptiveFieldDims", "two odd integers >= 3, [height, width]", rf);
        } else {
            rfH = rf.get(0).intValue();
            rfW = rf.get(1).intValue();
        }
        int mix = DetectorParams.positive(p, "numLogisticMix", 1);
        double dropout = p.getDouble("dropout", 0.1);
        if (!(dropout >= 0 && dropout < 1)) {
            p.problem("dropout", "a number in [0, 1)", dropout);
            dropout = 0.1;
        }
        double rate = p.getDouble("mutationRate", 0.2);
        if (!(rate >= 0 && rate <= 1)) {
            p.problem("mutationRate", "a number in [0, 1]", rate);
            rate = 0.2;
        }
        double l2 = p.getDouble("l2Weight", 0.0);
        if (!(l2 >= 0 && Double.isFinite(l2))) {
            p.problem("l2Weight", "a number >= 0", l2);
            l2 = 0;
        }
        double ema = p.getDouble("emaDecay", 0.999);
        if (!(ema >= 0 && ema < 1)) {
            p.problem("emaDecay", "a number in [0, 1)", ema);
            ema = 0.999;
        }
        String schedule = p.getChoice("lrSchedule", "cosine", List.of("cosine", "constant"));
        int batch = DetectorParams.positive(p, "inferenceBatchSize", DEFAULT_INFERENCE_BATCH);
        int backgroundEpochs = p.getInt("backgroundEpochs", 0);
        if (backgroundEpochs < 0) {
            p.problem("backgroundEpochs", "an integer >= 0 (0: every epoch)", backgroundEpochs);
            backgroundEpochs = 0;
        }
        String snapshots = p.getString("snapshotDir", null);
        Path snapshotDir = null;
        if (snapshots != null) {
            try {
                snapshotDir = snapshots.isBlank() ? null : Path.of(snapshots);
            } catch (java.nio.file.InvalidPathException e) {
                p.problem("snapshotDir", "a folder path", snapshots);
            }
        }
        String mutation = p.getChoice("mutation", MUTATION_DIFFERENT, List.of(MUTATION_DIFFERENT, MUTATION_REN));
        String score = p.has("score") ? p.getChoice("score", LlrScores.COMBINED, LlrScores.NAMES) : null;
        return new LlrConfig(new PixelCnnSpec(numResnet, numHierarchies, numFilters, rfH, rfW, mix, dropout), rate,
                l2, ema, schedule, batch, backgroundEpochs, snapshotDir, mutation, score);
    }

    /** Epochs of a fit of {@code epochs} in which the background model trains: all when 0 or more than the fit. */
    public int backgroundEpochs(int epochs) {
        return backgroundEpochs == 0 ? epochs : Math.min(backgroundEpochs, epochs);
    }

    private static boolean oddInt(double v) {
        return v == Math.rint(v) && v >= 3 && ((long) v) % 2 == 1;
    }

    /** The model's parameters, as plain Java values readable by {@link #from} (all but {@code snapshotDir}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("numResnet", model.numResnet());
        m.put("numHierarchies", model.numHierarchies());
        m.put("numFilters", model.numFilters());
        m.put("receptiveFieldDims", List.of(model.receptiveFieldHeight(), model.receptiveFieldWidth()));
        m.put("numLogisticMix", model.numLogisticMix());
        m.put("dropout", model.dropout());
        m.put("mutationRate", mutationRate);
        m.put("l2Weight", l2Weight);
        m.put("emaDecay", emaDecay);
        m.put("lrSchedule", lrSchedule);
        m.put("inferenceBatchSize", inferenceBatchSize);
        m.put("backgroundEpochs", backgroundEpochs);
        m.put("mutation", mutation);
        if (score != null) {
            m.put("score", score);
        }
        return m;
    }
}
