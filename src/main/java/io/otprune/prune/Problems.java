package io.otprune.prune;

import java.util.ArrayList;
import java.util.List;

/** Builds the transport problems of a scope: one over all unit sets (global) or one per set (layer). */
public final class Problems {
    private Problems() {}

    public static List<Problem> build(List<UnitSet> sets, PruneConfig.Budget budget, PruneConfig.Scope scope,
            double rho) {
        List<Problem> out = new ArrayList<>();
        if (scope == PruneConfig.Scope.GLOBAL) {
            int[] idx = new int[sets.size()];
            double[][] costs = new double[sets.size()][];
            for (int j = 0; j < sets.size(); j++) {
                idx[j] = j;
                costs[j] = sets.get(j).costs(budget);
            }
            out.add(new Problem("global", idx, rho, costs));
        } else {
            for (int j = 0; j < sets.size(); j++) {
                out.add(new Problem(sets.get(j).name(), new int[] {j}, rho, new double[][] {sets.get(j).costs(budget)}));
            }
        }
        return out;
    }

    /** Hard keep vectors per set for the given ranking scores (per set), problem by problem. */
    public static boolean[][] harden(List<Problem> problems, List<float[]> scores, int sets) {
        return harden(problems, scores, new int[sets]);
    }

    /**
     * The same with per-set floors: set j keeps at least {@code floors[j]} units (its highest-scoring ones), and
     * each problem's budget is met as without floors (see {@link Problem#harden(List, int[])}).
     */
    static boolean[][] harden(List<Problem> problems, List<float[]> scores, int[] floors) {
        boolean[][] keep = new boolean[floors.length][];
        for (Problem p : problems) {
            List<float[]> sc = new ArrayList<>();
            int[] fl = new int[p.sets().length];
            int q0 = 0;
            for (int j : p.sets()) {
                sc.add(scores.get(j));
                fl[q0++] = floors[j];
            }
            boolean[][] k = p.harden(sc, fl);
            int[] idx = p.sets();
            for (int q = 0; q < idx.length; q++) {
                keep[idx[q]] = k[q];
            }
        }
        return keep;
    }
}
