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
 */
public record PruneRunConfig(String model, String data, PruneConfig prune, int pruneEpochs, int finetuneEpochs,
        double learningRate, int batchSize, long seed, String device, String command) {}
