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

    /**
     * The warm-up for training from fresh weights: a tenth of all steps, at most one epoch. Without it lenet5 at the
     * default 0.05 started slowly for some seeds and did not learn at all for one (full Fashion-MNIST, seed 2: loss
     * 2.30 and 10% accuracy for all 5 epochs; docs/benchmarks.md §8).
     */
    public static int freshWarmup(int stepsPerEpoch, int epochs) {
        return Math.min(stepsPerEpoch, stepsPerEpoch * epochs / 10);
    }

    public TrainConfig withWarmup(int steps) {
        return toBuilder().warmupSteps(steps).build();
    }

    /** Defaults that train every zoo model well: SGD 0.05, momentum 0.9, weight decay 5e-4, batch 128. */
    public static TrainConfig defaults(int epochs, long seed) {
        return builder().epochs(epochs).seed(seed).build();
    }

    public TrainConfig withEpochs(int e) {
        return toBuilder().epochs(e).build();
    }

    /** A builder that starts from {@link #defaults}: one epoch, seed 1, a step event every 20 steps, no warm-up. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().optimizer(optimizer).learningRate(learningRate).momentum(momentum)
                .weightDecay(weightDecay).epochs(epochs).batchSize(batchSize).seed(seed)
                .stepEventInterval(stepEventInterval).warmupSteps(warmupSteps);
    }

    public static final class Builder {
        private String optimizer = "sgd";
        private double learningRate = 0.05;
        private double momentum = 0.9;
        private double weightDecay = 5e-4;
        private int epochs = 1;
        private int batchSize = 128;
        private long seed = 1;
        private int stepEventInterval = 20;
        private int warmupSteps;

        private Builder() {}

        public Builder optimizer(String v) { optimizer = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder stepEventInterval(int v) { stepEventInterval = v; return this; }
        public Builder warmupSteps(int v) { warmupSteps = v; return this; }

        /** The configuration; the record checks every value. */
        public TrainConfig build() {
            return new TrainConfig(optimizer, learningRate, momentum, weightDecay, epochs, batchSize, seed,
                    stepEventInterval, warmupSteps);
        }
    }
}
