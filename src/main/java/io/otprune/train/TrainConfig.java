package io.otprune.train;

/**
 * Hyperparameters of a training run (or of the weight updates inside a pruning run).
 *
 * @param optimizer          {@code sgd} (with momentum) or {@code adam}
 * @param learningRate       peak learning rate; a cosine schedule takes it to 0 over all steps
 * @param momentum           SGD momentum (ignored by Adam)
 * @param weightDecay        L2 weight decay
 * @param epochs             passes over the training set
 * @param batchSize          samples per step
 * @param seed               seeds the initial weights and the per-epoch shuffle
 * @param stepEventInterval  a step event every this many steps (1 = every step)
 */
public record TrainConfig(
        String optimizer,
        double learningRate,
        double momentum,
        double weightDecay,
        int epochs,
        int batchSize,
        long seed,
        int stepEventInterval) {

    public TrainConfig {
        if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
            throw new IllegalArgumentException("optimizer must be sgd or adam, got '" + optimizer + "'");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (stepEventInterval <= 0) {
            throw new IllegalArgumentException("step event interval must be positive");
        }
    }

    /** Defaults that train every zoo model well: SGD 0.05, momentum 0.9, weight decay 5e-4, batch 128. */
    public static TrainConfig defaults(int epochs, long seed) {
        return new TrainConfig("sgd", 0.05, 0.9, 5e-4, epochs, 128, seed, 20);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(optimizer, learningRate, momentum, weightDecay, e, batchSize, seed, stepEventInterval);
    }
}
