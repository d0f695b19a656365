package io.oddball.api;

/**
 * How to train a detector (YAML {@code detector.fit}). Detectors use what applies to them: KNN only reads
 * {@code batchSize}, a neural detector all of it.
 *
 * @param epochs passes over the training data
 * @param batchSize instances per training (or scoring) step
 * @param learningRate optimiser step size
 * @param seed seed of every random choice (shuffling, initialisation, sampling); same seed, same result
 * @param validationSplit fraction of the training data held out to measure validation loss, in [0, 1)
 * @param earlyStoppingPatience epochs without validation improvement before stopping; 0 = never stop early
 */
public record FitOptions(int epochs, int batchSize, double learningRate, long seed, double validationSplit,
        int earlyStoppingPatience) {

    /** Alibi Detect's defaults where they exist: 20 epochs, batch 64, Adam 1e-3, seed 0, no validation. */
    public static final FitOptions DEFAULTS = new FitOptions(20, 64, 1e-3, 0L, 0.0, 0);

    public FitOptions {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, found " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validationSplit must be in [0, 1), found " + validationSplit);
        }
    }

    /** Reads {@code epochs, batchSize, learningRate, seed, validationSplit, earlyStoppingPatience} from a block. */
    public static FitOptions from(Params p) {
        int epochs = p.getInt("epochs", DEFAULTS.epochs());
        if (epochs < 0) {
            p.problem("epochs", "an integer >= 0", epochs);
            epochs = DEFAULTS.epochs();
        }
        int batch = p.getInt("batchSize", DEFAULTS.batchSize());
        if (batch < 1) {
            p.problem("batchSize", "an integer >= 1", batch);
            batch = DEFAULTS.batchSize();
        }
        double lr = p.getDouble("learningRate", DEFAULTS.learningRate());
        if (!(lr > 0) || Double.isInfinite(lr)) {
            p.problem("learningRate", "a number > 0", lr);
            lr = DEFAULTS.learningRate();
        }
        long seed = p.getLong("seed", DEFAULTS.seed());
        double vs = p.getDouble("validationSplit", DEFAULTS.validationSplit());
        if (!(vs >= 0 && vs < 1)) {
            p.problem("validationSplit", "a number in [0, 1)", vs);
            vs = 0;
        }
        int patience = p.getInt("earlyStoppingPatience", DEFAULTS.earlyStoppingPatience());
        if (patience < 0) {
            p.problem("earlyStoppingPatience", "an integer >= 0", patience);
            patience = 0;
        }
        return new FitOptions(epochs, batch, lr, seed, vs, patience);
    }
}
