package io.otprune.prune;

import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import java.util.ArrayList;
import java.util.List;

/** Unstructured granularity: every weight of every conv and linear layer; zeros stay in dense tensors. */
final class WeightPruneUnits implements PruneUnits {
    private final Network net;
    private final List<UnitSet> sets = new ArrayList<>();

    WeightPruneUnits(Network net) {
        this.net = net;
        for (PrunableLayer l : net.layers()) {
            sets.add(new WeightUnits(l));
        }
    }

    @Override public List<UnitSet> sets() { return sets; }

    @Override
    public boolean[][] select(List<Problem> problems, List<float[]> scores, PruneConfig pc, double rho) {
        return Problems.harden(problems, scores, Selection.floorUnits(sets, pc));
    }

    @Override
    public Accounting account(boolean[][] keep, PruneConfig.Budget budget) {
        return Accounting.additive(sets, keep, budget, net);
    }
}
