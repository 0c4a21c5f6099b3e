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

    public TrainRunConfig(String model, String data, String optimizer, double learningRate, double momentum,
            double weightDecay, int epochs, int batchSize, long seed, String device, String command) {
        this(model, data, optimizer, learningRate, momentum, weightDecay, epochs, batchSize, seed, device, command,
                io.otprune.data.DataOptions.DEFAULTS);
    }

    @Override
    public io.otprune.data.DataOptions dataOptions() {
        return dataOptions == null ? io.otprune.data.DataOptions.DEFAULTS : dataOptions;
    }
}
