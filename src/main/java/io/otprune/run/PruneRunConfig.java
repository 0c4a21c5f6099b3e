package io.otprune.run;

import io.otprune.prune.PruneConfig;

/**
 * A pruning run as the CLI and the GUI describe it; written to run.json.
 *
 * @param model          the model folder to prune (never modified)
 * @param data           data set id or IDX folder
 * @param prune          method, granularity, budget, scope, sparsity, temperature
 * @param pruneEpochs    epochs of the prune phase (soft masks for dtp, gradual for gmp)
 * @param finetuneEpochs epochs with the hard mask fixed
 * @param learningRate   SGD learning rate of the weights (cosine-decayed within each phase)
 * @param dataOptions    how the data is read (bad images, loading, augmentation); absent in run.json files written
 *                       before it existed, which means the defaults
 */
public record PruneRunConfig(String model, String data, PruneConfig prune, int pruneEpochs, int finetuneEpochs,
        double learningRate, int batchSize, long seed, String device, String command,
        io.otprune.data.DataOptions dataOptions) {

    public PruneRunConfig(String model, String data, PruneConfig prune, int pruneEpochs, int finetuneEpochs,
            double learningRate, int batchSize, long seed, String device, String command) {
        this(model, data, prune, pruneEpochs, finetuneEpochs, learningRate, batchSize, seed, device, command,
                io.otprune.data.DataOptions.DEFAULTS);
    }

    @Override
    public io.otprune.data.DataOptions dataOptions() {
        return dataOptions == null ? io.otprune.data.DataOptions.DEFAULTS : dataOptions;
    }
}
