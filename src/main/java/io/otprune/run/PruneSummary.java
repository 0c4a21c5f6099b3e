package io.otprune.run;

import java.util.List;

/**
 * summary.json of a pruning run (docs/design.md §3). Sparsities are fractions removed: {@code achievedSparsity} in the
 * budget's own measure over the prunable units; unit, parameter and FLOP sparsities over the same units.
 */
public record PruneSummary(
        String method,
        String granularity,
        String budget,
        String scope,
        double targetSparsity,
        double achievedSparsity,
        double achievedUnitSparsity,
        double achievedParamSparsity,
        double achievedFlopSparsity,
        double denseAccuracy,
        double accuracyBeforeHardening,
        double accuracyAfterHardening,
        double finalAccuracy,
        double hardeningGap,
        double maskSharpnessAtHardening,
        double epsilonAtHardening,
        List<io.otprune.prune.Accounting.Layer> perLayer,
        long paramsBefore,
        long paramsAfter,
        long flopsBefore,
        long flopsAfter,
        long units,
        long unitsKept,
        double seconds,
        String device,
        String modelDir,
        Double compactMaxAbsDiff,
        Speed speedBefore,
        Speed speedAfter,
        String note,
        Structure structure,
        List<io.otprune.prune.ActivationEntropy.Report> entropy,
        Confusion confusion) {

    /**
     * The dense and the pruned model's confusion matrices on the test set, with the class names (which classes
     * pruning hurt). Null in summaries written before it existed.
     */
    public record Confusion(List<String> classes, io.otprune.train.ConfusionMatrix dense,
            io.otprune.train.ConfusionMatrix pruned) {}

    /**
     * What compaction did to the architecture: conv/linear layers and depth (weighted layers on the longest path)
     * before and after, and the blocks or layers it removed. Null when the model kept its structure.
     */
    public record Structure(int layersBefore, int layersAfter, int depthBefore, int depthAfter, List<String> removed) {}

    /**
     * CPU inference latency (median ms of ≥ 30 forward passes after warm-up) at batch 1 and 256, and the size of the
     * model folder in bytes.
     */
    public record Speed(double batch1Ms, double batch256Ms, long fileBytes) {}

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The fields by name. Unset numbers are 0 and unset objects null, as a summary written before a field existed
     * reads.
     */
    public static final class Builder {
        private String method;
        private String granularity;
        private String budget;
        private String scope;
        private double targetSparsity;
        private double achievedSparsity;
        private double achievedUnitSparsity;
        private double achievedParamSparsity;
        private double achievedFlopSparsity;
        private double denseAccuracy;
        private double accuracyBeforeHardening;
        private double accuracyAfterHardening;
        private double finalAccuracy;
        private double hardeningGap;
        private double maskSharpnessAtHardening;
        private double epsilonAtHardening;
        private List<io.otprune.prune.Accounting.Layer> perLayer;
        private long paramsBefore;
        private long paramsAfter;
        private long flopsBefore;
        private long flopsAfter;
        private long units;
        private long unitsKept;
        private double seconds;
        private String device;
        private String modelDir;
        private Double compactMaxAbsDiff;
        private Speed speedBefore;
        private Speed speedAfter;
        private String note;
        private Structure structure;
        private List<io.otprune.prune.ActivationEntropy.Report> entropy;
        private Confusion confusion;

        private Builder() {}

        public Builder method(String v) { method = v; return this; }
        public Builder granularity(String v) { granularity = v; return this; }
        public Builder budget(String v) { budget = v; return this; }
        public Builder scope(String v) { scope = v; return this; }
        public Builder targetSparsity(double v) { targetSparsity = v; return this; }
        public Builder achievedSparsity(double v) { achievedSparsity = v; return this; }
        public Builder achievedUnitSparsity(double v) { achievedUnitSparsity = v; return this; }
        public Builder achievedParamSparsity(double v) { achievedParamSparsity = v; return this; }
        public Builder achievedFlopSparsity(double v) { achievedFlopSparsity = v; return this; }
        public Builder denseAccuracy(double v) { denseAccuracy = v; return this; }
        public Builder accuracyBeforeHardening(double v) { accuracyBeforeHardening = v; return this; }
        public Builder accuracyAfterHardening(double v) { accuracyAfterHardening = v; return this; }
        public Builder finalAccuracy(double v) { finalAccuracy = v; return this; }
        public Builder hardeningGap(double v) { hardeningGap = v; return this; }
        public Builder maskSharpnessAtHardening(double v) { maskSharpnessAtHardening = v; return this; }
        public Builder epsilonAtHardening(double v) { epsilonAtHardening = v; return this; }
        public Builder perLayer(List<io.otprune.prune.Accounting.Layer> v) { perLayer = v; return this; }
        public Builder paramsBefore(long v) { paramsBefore = v; return this; }
        public Builder paramsAfter(long v) { paramsAfter = v; return this; }
        public Builder flopsBefore(long v) { flopsBefore = v; return this; }
        public Builder flopsAfter(long v) { flopsAfter = v; return this; }
        public Builder units(long v) { units = v; return this; }
        public Builder unitsKept(long v) { unitsKept = v; return this; }
        public Builder seconds(double v) { seconds = v; return this; }
        public Builder device(String v) { device = v; return this; }
        public Builder modelDir(String v) { modelDir = v; return this; }
        public Builder compactMaxAbsDiff(Double v) { compactMaxAbsDiff = v; return this; }
        public Builder speedBefore(Speed v) { speedBefore = v; return this; }
        public Builder speedAfter(Speed v) { speedAfter = v; return this; }
        public Builder note(String v) { note = v; return this; }
        public Builder structure(Structure v) { structure = v; return this; }
        public Builder entropy(List<io.otprune.prune.ActivationEntropy.Report> v) { entropy = v; return this; }
        public Builder confusion(Confusion v) { confusion = v; return this; }

        /** The run's settings in the words the CLI takes: method, granularity, budget, scope, target sparsity. */
        public Builder config(io.otprune.prune.PruneConfig pc) {
            return method(io.otprune.prune.PruneConfig.word(pc.method()))
                    .granularity(io.otprune.prune.PruneConfig.word(pc.granularity()))
                    .budget(io.otprune.prune.PruneConfig.word(pc.budget()))
                    .scope(io.otprune.prune.PruneConfig.word(pc.scope())).targetSparsity(pc.sparsity());
        }

        /** Everything the hard selection's accounting measures: sparsities, per-layer rows, counts. */
        public Builder accounting(io.otprune.prune.Accounting a) {
            return achievedSparsity(a.achieved()).achievedUnitSparsity(a.unitSparsity())
                    .achievedParamSparsity(a.paramSparsity()).achievedFlopSparsity(a.flopSparsity())
                    .perLayer(a.layers())
                    .paramsBefore(a.paramsBefore()).paramsAfter(a.paramsAfter()).flopsBefore(a.flopsBefore())
                    .flopsAfter(a.flopsAfter()).units(a.units()).unitsKept(a.kept());
        }

        public PruneSummary build() {
            return new PruneSummary(method, granularity, budget, scope, targetSparsity, achievedSparsity,
                    achievedUnitSparsity, achievedParamSparsity, achievedFlopSparsity, denseAccuracy,
                    accuracyBeforeHardening, accuracyAfterHardening, finalAccuracy, hardeningGap,
                    maskSharpnessAtHardening, epsilonAtHardening, perLayer, paramsBefore, paramsAfter, flopsBefore,
                    flopsAfter, units, unitsKept, seconds, device, modelDir, compactMaxAbsDiff, speedBefore,
                    speedAfter, note, structure, entropy, confusion);
        }
    }
}
