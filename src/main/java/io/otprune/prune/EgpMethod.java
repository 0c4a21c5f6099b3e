package io.otprune.prune;

import io.otprune.model.Network;
import io.otprune.train.DivergenceException;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entropy-guided pruning of weights (Liao et al. 2023): one iteration per prune epoch on a geometric path to the
 * target; each iteration measures every ReLU's activation entropy and gives low-entropy layers a larger share of
 * the removals ({@link Egp}), then trains an epoch. At the end, hidden dense layers whose ReLU became constant are
 * folded exactly into the next layer ({@link Folding}).
 */
final class EgpMethod implements PruneMethod {
    /** Training images an activation-entropy measurement runs through the network. */
    static final int ENTROPY_SAMPLES = 10_000;

    @Override public boolean supports(PruneConfig.Granularity g) { return g == PruneConfig.Granularity.UNSTRUCTURED; }
    @Override public String suits() { return "prunes weights"; }
    @Override public boolean oneShot() { return false; }

    @Override
    public Outcome prune(Context ctx) throws RunCancelledException, DivergenceException {
        PruneConfig pc = ctx.config();
        List<UnitSet> sets = ctx.units().sets();
        int iterations = Math.max(1, ctx.pruneEpochs());
        ctx.events().accept(new RunEvent.Phase("prune", String.format("EGP: %d iteration(s) of entropy-guided "
                + "magnitude pruning to %s, one epoch of training after each", iterations, pc.sparsity())));
        long units = 0;
        boolean[][] keep = new boolean[sets.size()][];
        for (int j = 0; j < sets.size(); j++) {
            keep[j] = new boolean[sets.get(j).size()];
            Arrays.fill(keep[j], true);
            units += keep[j].length;
        }
        HardMasks current = null;
        int first = 1;
        int done = ctx.skipResumedPruneEpochs();
        if (done > 0) {
            // a resumed run: iterations 1..done are in the checkpoint (weights and the masks they ended with)
            keep = ctx.resumedMasks();
            current = new HardMasks(sets, keep, ctx.manager());
            first = done + 1;
        }
        for (int t = first; t <= iterations; t++) {
            ctx.control().checkpoint();
            List<ActivationEntropy.Layer> h = measure(ctx);
            Map<String, Double> byRelu = new HashMap<>();
            h.forEach(l -> byRelu.put(l.name(), l.entropy()));
            long target = Egp.keptAfter(units, pc.sparsity(), t, iterations);
            keep = Egp.prune(sets, Egp.setEntropies(ctx.net(), sets, byRelu), keep, target,
                    Selection.floorUnits(sets, pc));
            if (current != null) {
                current.close();
            }
            current = new HardMasks(sets, keep, ctx.manager());
            double reached = 1 - (double) target / units;
            ctx.events().accept(ActivationEntropy.event(t, iterations, reached, h, ActivationEntropy.removable(h)));
            if (ctx.pruneEpochs() > 0) {
                ctx.train(1, current);
            }
        }
        return new Outcome(current, ctx.testAccuracy(null), 1.0, Double.NaN);
    }

    private static List<ActivationEntropy.Layer> measure(Context ctx) {
        return ActivationEntropy.measure(ctx.net(), ctx.manager(), ctx.trainSet(), ctx.normalization(),
                ENTROPY_SAMPLES);
    }

    /** The entropy of every ReLU after fine-tuning; hidden dense layers that became linear are folded. */
    @Override
    public Finished finish(Context ctx, HardMasks hard) {
        Network net = ctx.net();
        List<ActivationEntropy.Layer> h = measure(ctx);
        Map<String, boolean[]> fold = new LinkedHashMap<>();
        List<ActivationEntropy.Report> entropy = new ArrayList<>();
        for (ActivationEntropy.Layer l : h) {
            String status;
            if (!l.removable()) {
                status = "active";
            } else if (Folding.foldable(net, l.name())) {
                fold.put(l.name(), l.alwaysOnMask());
                status = "removable: folded into the next layer";
            } else {
                status = "removable, not folded: no exact merge with what follows (3×3 conv, pooling or a residual "
                        + "addition)";
            }
            entropy.add(new ActivationEntropy.Report(l.name(), l.entropy(), l.channels(), l.alwaysOn(),
                    l.alwaysOff(), status));
        }
        int iterations = Math.max(1, ctx.pruneEpochs());
        ctx.events().accept(ActivationEntropy.event(iterations + 1, iterations, ctx.config().sparsity(), h,
                ActivationEntropy.removable(h)));
        if (fold.isEmpty()) {
            return new Finished(null, entropy);
        }
        Network small = Folding.foldDense(net, fold, ctx.manager());
        Compactor.Difference diff = Compactor.difference(net, small, ctx.manager(), ctx.testSet(),
                ctx.normalization());
        if (!diff.equal()) {
            // constant over the probe images but not over the test set: keep the layers
            ctx.events().accept(new RunEvent.Message("warning", String.format("not folding %s: the folded model "
                    + "differs by %.2e on the test set (a ReLU was constant on the training images only)",
                    fold.keySet(), diff.maxAbsDiff())));
            return new Finished(null, entropy);
        }
        String change = "folded " + fold.keySet() + " (ReLU constant on every channel over " + ENTROPY_SAMPLES
                + " training images), conv/linear layers " + net.layers().size() + " -> " + small.layers().size();
        return new Finished(new PruneUnits.Compaction(small, change, new ArrayList<>(fold.keySet())), entropy);
    }
}
