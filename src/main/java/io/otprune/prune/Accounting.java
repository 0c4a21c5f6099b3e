package io.otprune.prune;

import io.otprune.model.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * What a hard selection keeps, in every measure: the budget's own, units, parameters and multiply-adds, per unit set
 * and for the network. Made by the granularity ({@link PruneUnits#account}), which knows whether costs add up.
 */
public record Accounting(double achieved, double unitSparsity, double paramSparsity, double flopSparsity,
        List<Layer> layers, long paramsBefore, long paramsAfter, long flopsBefore, long flopsAfter, long units,
        long kept) {

    /** One unit set (or layer): its units and what they carry, before and after. */
    public record Layer(String name, int units, int kept, long params, long keptParams, long flops, long keptFlops) {}

    /** For units whose costs add up (weights, blocks): sums of the kept units' costs. */
    static Accounting additive(List<UnitSet> sets, boolean[][] keep, PruneConfig.Budget budget, Network net) {
        long units = 0, kept = 0;
        double p = 0, pk = 0, f = 0, fk = 0, b = 0, bk = 0;
        List<Layer> layers = new ArrayList<>();
        for (int j = 0; j < sets.size(); j++) {
            UnitSet u = sets.get(j);
            double[] pc = u.paramCosts(), fc = u.flopCosts(), bc = u.costs(budget);
            double lp = 0, lpk = 0, lf = 0, lfk = 0;
            int lk = 0;
            for (int i = 0; i < u.size(); i++) {
                lp += pc[i];
                lf += fc[i];
                b += bc[i];
                if (keep[j][i]) {
                    lk++;
                    lpk += pc[i];
                    lfk += fc[i];
                    bk += bc[i];
                }
            }
            layers.add(new Layer(u.name(), u.size(), lk, Math.round(lp), Math.round(lpk), Math.round(lf),
                    Math.round(lfk)));
            units += u.size();
            kept += lk;
            p += lp;
            pk += lpk;
            f += lf;
            fk += lfk;
        }
        long paramsBefore = net.paramCount();
        long flopsBefore = net.macs();
        return new Accounting(1 - bk / b, 1 - (double) kept / units, 1 - pk / p, 1 - fk / f, layers,
                paramsBefore, paramsBefore - Math.round(p - pk), flopsBefore, flopsBefore - Math.round(f - fk),
                units, kept);
    }
}
