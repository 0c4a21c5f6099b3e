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
}
