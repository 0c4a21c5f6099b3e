package io.otprune.run;

/**
 * A training run as the CLI and the GUI describe it; written to run.json.
 *
 * @param model   an architecture id (trains from scratch) or a model folder (continues from its weights)
 * @param data    a data set id or IDX folder
 * @param device  auto, cpu or gpu
 * @param dataOptions how the data is read (bad images, loading, augmentation, given normalisation); absent in
 *                    run.json files written before it existed, which means the defaults
 */
public record TrainRunConfig(String model, String data, String optimizer, double learningRate, double momentum,
        double weightDecay, int epochs, int batchSize, long seed, String device, String command,
        io.otprune.data.DataOptions dataOptions) {

    /** A builder with the training defaults of {@link io.otprune.train.TrainConfig#defaults} on device auto. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final io.otprune.train.TrainConfig defaults = io.otprune.train.TrainConfig.defaults(1, 1);
        private String model;
        private String data;
        private String optimizer = defaults.optimizer();
        private double learningRate = defaults.learningRate();
        private double momentum = defaults.momentum();
        private double weightDecay = defaults.weightDecay();
        private int epochs = defaults.epochs();
        private int batchSize = defaults.batchSize();
        private long seed = defaults.seed();
        private String device = "auto";
        private String command = "";
        private io.otprune.data.DataOptions dataOptions = io.otprune.data.DataOptions.DEFAULTS;

        private Builder() {}

        public Builder model(String v) { model = v; return this; }
        public Builder data(String v) { data = v; return this; }
        public Builder optimizer(String v) { optimizer = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder device(String v) { device = v; return this; }
        public Builder command(String v) { command = v; return this; }
        public Builder dataOptions(io.otprune.data.DataOptions v) { dataOptions = v; return this; }

        public TrainRunConfig build() {
            if (model == null || data == null) {
                throw new IllegalArgumentException("a training run needs a model and a data set");
            }
            return new TrainRunConfig(model, data, optimizer, learningRate, momentum, weightDecay, epochs, batchSize,
                    seed, device, command, dataOptions);
        }
    }

    @Override
    public io.otprune.data.DataOptions dataOptions() {
        return dataOptions == null ? io.otprune.data.DataOptions.DEFAULTS : dataOptions;
    }
}
