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
 * @param warmupSteps        steps over which the learning rate rises linearly from 0 before the cosine decay (0:
 *                           none); training from fresh weights uses {@link #freshWarmup}
 */
public record TrainConfig(
        String optimizer,
        double learningRate,
        double momentum,
        double weightDecay,
        int epochs,
        int batchSize,
        long seed,
        int stepEventInterval,
        int warmupSteps) {

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
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        }
    }

    /** Without warm-up (weights that are trained already: pruning, fine-tuning, benchmarks). */
    public TrainConfig(String optimizer, double learningRate, double momentum, double weightDecay, int epochs,
            int batchSize, long seed, int stepEventInterval) {
        this(optimizer, learningRate, momentum, weightDecay, epochs, batchSize, seed, stepEventInterval, 0);
    }

    /**
     * The warm-up for training from fresh weights: a tenth of all steps, at most one epoch. Without it lenet5 at the
     * default 0.05 started slowly for some seeds and did not learn at all for one (full Fashion-MNIST, seed 2: loss
     * 2.30 and 10% accuracy for all 5 epochs; docs/benchmarks.md §8).
     */
    public static int freshWarmup(int stepsPerEpoch, int epochs) {
        return Math.min(stepsPerEpoch, stepsPerEpoch * epochs / 10);
    }

    public TrainConfig withWarmup(int steps) {
        return new TrainConfig(optimizer, learningRate, momentum, weightDecay, epochs, batchSize, seed,
                stepEventInterval, steps);
    }

    /** Defaults that train every zoo model well: SGD 0.05, momentum 0.9, weight decay 5e-4, batch 128. */
    public static TrainConfig defaults(int epochs, long seed) {
        return new TrainConfig("sgd", 0.05, 0.9, 5e-4, epochs, 128, seed, 20);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(optimizer, learningRate, momentum, weightDecay, e, batchSize, seed, stepEventInterval,
                warmupSteps);
    }
}
