package io.otprune.run;

import io.otprune.data.DataOptions;
import io.otprune.prune.PruneConfig;
import java.util.Locale;

/**
 * A pruning run as the CLI and the GUI describe it; written to run.json. Build one with {@link #builder()}: the
 * builder writes {@code command}, the {@code otprune prune …} line that reproduces the run ({@link #command}), the
 * one place that line is made.
 *
 * @param model          the model folder to prune (never modified)
 * @param data           data set id or IDX folder
 * @param prune          method, granularity, budget, scope, sparsity, temperature
 * @param pruneEpochs    epochs of the prune phase (soft masks for dtp, gradual for gmp)
 * @param finetuneEpochs epochs with the hard mask fixed
 * @param learningRate   SGD learning rate of the weights (cosine-decayed within each phase)
 * @param batchSize      training batch size
 * @param seed           random seed (weights' data order, random masks)
 * @param device         auto, cpu or gpu
 * @param command        the CLI line that reproduces the run
 * @param dataOptions    how the data is read (bad images, loading, augmentation); absent in run.json files written
 *                       before it existed, which means the defaults
 */
public record PruneRunConfig(String model, String data, PruneConfig prune, int pruneEpochs, int finetuneEpochs,
        double learningRate, int batchSize, long seed, String device, String command, DataOptions dataOptions) {

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public DataOptions dataOptions() {
        return dataOptions == null ? DataOptions.DEFAULTS : dataOptions;
    }

    /** The {@code otprune prune …} line for a run with these settings (every option spelled out). */
    public static String command(String model, String data, PruneConfig pc, int pruneEpochs, int finetuneEpochs,
            double lr, int batchSize, long seed, String device, DataOptions dataOptions, String out) {
        String line = String.format(Locale.ROOT, "otprune prune --model %s --data %s --method %s --granularity %s "
                        + "--budget %s --scope %s --sparsity %s --prune-epochs %d --finetune-epochs %d "
                        + "--temperature %s --eps0 %s --sinkhorn-iterations %d --score-lr %s --min-channels %d "
                        + "--latency-batch %d --lr %s --batch-size %d --seed %d --device %s",
                model, data, PruneConfig.word(pc.method()), PruneConfig.word(pc.granularity()),
                PruneConfig.word(pc.budget()), PruneConfig.word(pc.scope()), pc.sparsity(), pruneEpochs,
                finetuneEpochs, PruneConfig.word(pc.temperature()), pc.eps0(), pc.sinkhornIterations(),
                pc.scoreLearningRate(), pc.minChannels(), pc.latencyBatch(), lr, batchSize, seed, device)
                + (pc.minKept().isEmpty() ? "" : " --floors " + shellWord(PruneConfig.floorsWord(pc.minKept())))
                + (pc.channelMultiple() == 1 ? "" : " --channel-multiple " + pc.channelMultiple())
                // both always spelled out: their defaults may change as the protocol of docs/benchmarks.md §12 decides
                + " --score-step " + PruneConfig.word(pc.scoreStep())
                + " --tau-gradient " + PruneConfig.word(pc.tauGradient())
                + dataOptions.commandFlags();
        return out == null ? line : line + " --out " + out;
    }

    /** A word as a shell reads it back: as is when plain, else in single quotes (channel groups' names have spaces). */
    static String shellWord(String w) {
        return w.matches("[A-Za-z0-9._=,:/+-]+") ? w : "'" + w.replace("'", "'\\''") + "'";
    }

    /** Defaults: 2 prune + 1 fine-tune epochs, SGD lr 0.01, batch 128, seed 1, device auto, default data options. */
    public static final class Builder {
        private String model;
        private String data = "fashion-mnist-small";
        private PruneConfig prune = PruneConfig.builder().build();
        private int pruneEpochs = 2;
        private int finetuneEpochs = 1;
        private double learningRate = 0.01;
        private int batchSize = 128;
        private long seed = 1;
        private String device = "auto";
        private DataOptions dataOptions = DataOptions.DEFAULTS;
        private String out;

        private Builder() {}

        public Builder model(String v) { model = v; return this; }
        public Builder data(String v) { data = v; return this; }
        public Builder prune(PruneConfig v) { prune = v; return this; }
        public Builder pruneEpochs(int v) { pruneEpochs = v; return this; }
        public Builder finetuneEpochs(int v) { finetuneEpochs = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder device(String v) { device = v; return this; }
        public Builder dataOptions(DataOptions v) { dataOptions = v; return this; }

        /** The run folder, named in the reproduce command (optional). */
        public Builder out(String v) { out = v; return this; }

        public PruneRunConfig build() {
            if (model == null) {
                throw new IllegalArgumentException("a run needs a model");
            }
            if (pruneEpochs < 0 || finetuneEpochs < 0) {
                throw new IllegalArgumentException("--prune-epochs and --finetune-epochs must be >= 0");
            }
            if (batchSize < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("--batch-size and --lr must be positive");
            }
            return new PruneRunConfig(model, data, prune, pruneEpochs, finetuneEpochs, learningRate, batchSize, seed,
                    device, command(model, data, prune, pruneEpochs, finetuneEpochs, learningRate, batchSize, seed,
                            device, dataOptions, out), dataOptions);
        }
    }
}
