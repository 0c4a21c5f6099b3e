package io.otprune.prune;

import io.otprune.ot.TopK;
import java.util.List;

/**
 * One optimal-transport problem: a group of unit sets sharing a threshold τ, with the kept fraction ρ of their
 * total cost. Global scope has one problem over every set; layer scope one problem per set.
 */
public final class Problem {
    private final String name;
    private final int[] sets;
    private double rho;
    private final double[][] costs;
    private final double totalCost;
    private final double maxUnitCost;
    private final double minUnitCost;
    private final int units;
    double tau;

    /**
     * @param sets  indices into the engine's unit-set list
     * @param costs per set, the cost of each unit in the budget's measure
     */
    public Problem(String name, int[] sets, double rho, double[][] costs) {
        this.name = name;
        this.sets = sets.clone();
        this.rho = rho;
        this.costs = costs;
        double total = 0, max = 0, min = Double.POSITIVE_INFINITY;
        int n = 0;
        for (double[] c : costs) {
            for (double v : c) {
                total += v;
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
            n += c.length;
        }
        this.totalCost = total;
        this.maxUnitCost = max;
        this.minUnitCost = min;
        this.units = n;
    }

    public String name() { return name; }
    public int[] sets() { return sets.clone(); }
    public double rho() { return rho; }

    /** Re-targets the soft plan (structured cost budgets: the linear costs' share that the exact selection keeps). */
    void setRho(double rho) {
        this.rho = rho;
    }
    public double tau() { return tau; }
    public double totalCost() { return totalCost; }
    public double maxUnitCost() { return maxUnitCost; }
    public int units() { return units; }
    public double minUnitCost() { return minUnitCost; }

    /** Costs of the units of the k-th set of this problem. */
    double[] costs(int k) {
        return costs[k];
    }

    /** Whether every unit of the problem costs the same (a count budget, or unstructured params). */
    boolean uniformCosts() {
        double first = costs[0].length > 0 ? costs[0][0] : 0;
        for (double[] c : costs) {
            for (double v : c) {
                if (v != first) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The exact hard selection of the converged plan (ε → 0): with uniform costs exactly round(ρ·n) units with the
     * highest scores; otherwise the highest-scoring units while their cost fits ρ·(total cost), which ends within
     * one unit's cost of the target.
     *
     * @param scores per set of this problem (in this problem's order), the ranking key
     * @return per set, which units are kept
     */
    boolean[][] harden(List<float[]> scores) {
        return harden(scores, new int[sets.length]);
    }

    /**
     * The same with floors: the k-th set keeps at least {@code floors[k]} of its highest-scoring units, and the rest
     * of the budget goes by score as without floors, so a count budget still keeps exactly round(ρ·n) units and a
     * cost budget ends within one unit's cost of ρ·(total cost). Floors that alone exceed the budget are refused.
     */
    boolean[][] harden(List<float[]> scores, int[] floors) {
        int n = units;
        float[] all = new float[n];
        double[] cost = new double[n];
        int off = 0;
        for (int k = 0; k < sets.length; k++) {
            float[] s = scores.get(k);
            System.arraycopy(s, 0, all, off, s.length);
            System.arraycopy(costs[k], 0, cost, off, s.length);
            off += s.length;
        }
        boolean[] keep;
        if (java.util.Arrays.stream(floors).allMatch(f -> f == 0)) {
            keep = uniformCosts()
                    ? TopK.keepTop(all, (int) Math.round(rho * n))
                    : TopK.keepWithinCost(all, cost, rho * totalCost);
        } else {
            keep = withFloors(scores, all, cost, floors);
        }
        boolean[][] out = new boolean[sets.length][];
        off = 0;
        for (int k = 0; k < sets.length; k++) {
            out[k] = java.util.Arrays.copyOfRange(keep, off, off + scores.get(k).length);
            off += out[k].length;
        }
        return out;
    }

    /** The floors' units first (each set's top by score), then the rest of the budget in score order. */
    private boolean[] withFloors(List<float[]> scores, float[] all, double[] cost, int[] floors) {
        boolean[] keep = new boolean[all.length];
        boolean uniform = uniformCosts();
        double budget = uniform ? Math.round(rho * units) : rho * totalCost;
        double used = 0;
        int off = 0;
        for (int k = 0; k < sets.length; k++) {
            int[] top = TopK.order(scores.get(k));
            for (int q = 0; q < Math.min(floors[k], top.length); q++) {
                keep[off + top[q]] = true;
                used += uniform ? 1 : cost[off + top[q]];
            }
            off += top.length;
        }
        if (used > budget * (1 + 1e-12)) {
            throw new Selection.BudgetException(String.format(java.util.Locale.ROOT, "the per-layer floors alone "
                    + "keep %.4f of %s's budget, more than the %.4f the sparsity allows; lower the floors or the "
                    + "sparsity", used / (uniform ? units : totalCost), name, rho));
        }
        for (int i : TopK.order(all)) {
            if (keep[i]) {
                continue;
            }
            double c = uniform ? 1 : cost[i];
            if (used + c > budget * (1 + 1e-12)) {
                break;
            }
            used += c;
            keep[i] = true;
        }
        return keep;
    }
}
