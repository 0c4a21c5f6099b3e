package io.otprune.prune;

import io.otprune.ot.TopK;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hard selection at the end of pruning, shared by every method, so every method meets the budget the same way.
 *
 * <p>Unstructured units and channel counts have additive costs: the transport problems' exact top-k (or
 * within-cost prefix) is the answer. Channels under a parameter or FLOP budget do not: removing two adjacent
 * channels saves less than the sum of their costs (the weight between them is counted in both). There the units
 * are taken in ranking order while the exact count of the compact model ({@link ChannelGraph#countWith}) stays
 * within the budget, so the compact model's parameters (or multiply-adds) end within one unit's cost of the
 * target: the next unit in order is the one that did not fit.
 */
public final class Selection {
    private Selection() {}

    /** Thrown when the budget cannot be met (e.g. the channel floor alone exceeds it). */
    public static final class BudgetException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public BudgetException(String message) {
            super(message);
        }
    }

    /**
     * Per unit set, the least number of units the hard selection keeps under the config's per-set floors
     * ({@link PruneConfig#minKept}): ceil(fraction × size). A floor naming no set of {@code sets} is an error, so a
     * floor for another model or granularity is not silently ignored.
     */
    public static int[] floorUnits(List<UnitSet> sets, PruneConfig pc) {
        int[] out = new int[sets.size()];
        if (pc.minKept().isEmpty()) {
            return out;
        }
        java.util.Set<String> unknown = new java.util.TreeSet<>(pc.minKept().keySet());
        for (int j = 0; j < sets.size(); j++) {
            Double f = pc.minKept().get(sets.get(j).name());
            if (f != null) {
                unknown.remove(sets.get(j).name());
                out[j] = (int) Math.min(sets.get(j).size(), Math.ceil(f * sets.get(j).size() - 1e-9));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("floors name " + String.join(", ", unknown) + ", not a "
                    + PruneConfig.word(pc.granularity()) + " unit set of this model (it has "
                    + String.join(", ", sets.stream().map(UnitSet::name).toList()) + ")");
        }
        return out;
    }

    /** The hard channel selection: count budgets by top-k with the floor, others by the exact compact count. */
    static boolean[][] channels(ChannelGraph graph, List<UnitSet> sets, List<ChannelGraph.Space> spaces,
            List<Problem> problems, List<float[]> scores, PruneConfig pc, double rho) {
        if (pc.budget() == PruneConfig.Budget.COUNT) {
            return countWithFloor(sets, problems, scores, pc, rho);
        }
        return exactCost(graph, sets, spaces, scores, pc, rho);
    }

    /**
     * The least channels set j (of {@code size}) keeps: the global channel floor or its own floor, whichever is
     * larger, rounded up to the channel multiple (or the whole set).
     */
    private static int floor(int[] floors, int j, PruneConfig pc, int size) {
        int m = pc.channelMultiple();
        int f = Math.max(pc.minChannels(), floors[j]);
        return Math.min(size, (f + m - 1) / m * m);
    }

    /**
     * What keeping channel {@code i} of a set adds under a channel multiple m: i and the set's next best m - 1
     * channels not kept yet (fewer where the set runs out), so that the set's count stays a multiple of m or the
     * whole set. For m = 1, i alone.
     */
    private static int[] chunk(int i, boolean[] keep, int[] top, int m) {
        int[] add = new int[m];
        int n = 0;
        add[n++] = i;
        for (int q = 0; q < top.length && n < m; q++) {
            if (!keep[top[q]] && top[q] != i) {
                add[n++] = top[q];
            }
        }
        return n == m ? add : java.util.Arrays.copyOf(add, n);
    }

    /** Channel counts: exact top-k per problem, with every space keeping at least the floor. */
    private static boolean[][] countWithFloor(List<UnitSet> sets, List<Problem> problems, List<float[]> scores,
            PruneConfig pc, double rho) {
        int[] floors = floorUnits(sets, pc);
        boolean[][] keep = new boolean[sets.size()][];
        for (Problem p : problems) {
            int[] idx = p.sets();
            int total = 0;
            for (int j : idx) {
                total += sets.get(j).size();
            }
            int k = (int) Math.round(rho * total);
            List<Integer> order = globalOrder(idx, scores, false, sets);
            int kept = 0;
            int[][] tops = new int[sets.size()][];
            for (int j : idx) {
                keep[j] = new boolean[sets.get(j).size()];
                tops[j] = TopK.order(scores.get(j));
                for (int q = 0; q < floor(floors, j, pc, tops[j].length); q++) {
                    keep[j][tops[j][q]] = true;
                    kept++;
                }
            }
            if (kept > k) {
                throw new BudgetException(String.format("keeping %d channels cannot meet the floors (%d per layer%s: "
                        + "%d channels); lower the sparsity or the floors", k, pc.minChannels(),
                        pc.minKept().isEmpty() ? "" : " and the per-layer floors", kept));
            }
            for (int code : order) {
                if (kept >= k) {
                    break;
                }
                int j = code >>> 20, i = code & 0xFFFFF;
                if (!keep[j][i]) {
                    int[] add = chunk(i, keep[j], tops[j], pc.channelMultiple());
                    if (kept + add.length > k) {
                        break;
                    }
                    for (int a : add) {
                        keep[j][a] = true;
                    }
                    kept += add.length;
                }
            }
        }
        return keep;
    }

    /** Parameter or FLOP budgets on channels: ranking-order prefix under the exact compact-model count. */
    private static boolean[][] exactCost(ChannelGraph graph, List<UnitSet> sets, List<ChannelGraph.Space> spaces,
            List<float[]> scores, PruneConfig pc, double rho) {
        int measure = pc.budget() == PruneConfig.Budget.PARAMS ? 0 : 1;
        int[] floors = floorUnits(sets, pc);
        Map<ChannelGraph.Space, Integer> counts = new IdentityHashMap<>();
        long full = graph.countWith(counts)[measure];
        double target = rho * full;
        int[] idx = new int[sets.size()];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = j;
        }
        boolean[][] keep = new boolean[sets.size()][];
        int[] kept = new int[sets.size()];
        int[][] tops = new int[sets.size()][];
        for (int j = 0; j < sets.size(); j++) {
            keep[j] = new boolean[sets.get(j).size()];
            tops[j] = TopK.order(scores.get(j));
            for (int q = 0; q < floor(floors, j, pc, tops[j].length); q++) {
                keep[j][tops[j][q]] = true;
                kept[j]++;
            }
            counts.put(spaces.get(j), kept[j]);
        }
        long current = graph.countWith(counts)[measure];
        if (current > target) {
            throw new BudgetException(String.format("sparsity %s cannot be met: the floor of %d channel(s) per layer%s "
                    + "alone keeps %.4f of the %s", pc.sparsity(), pc.minChannels(),
                    pc.minKept().isEmpty() ? "" : " and the per-layer floors", current / (double) full,
                    pc.budget().name().toLowerCase(java.util.Locale.ROOT)));
        }
        for (int code : globalOrder(idx, scores, pc.scope() == PruneConfig.Scope.LAYER, sets)) {
            int j = code >>> 20, i = code & 0xFFFFF;
            if (keep[j][i]) {
                continue;
            }
            ChannelGraph.Space space = spaces.get(j);
            int[] add = chunk(i, keep[j], tops[j], pc.channelMultiple());
            // only the nodes that hold or read this space change: count them before and after
            long before = graph.countNodes(graph.nodesTouching(space), counts)[measure];
            counts.put(space, kept[j] + add.length);
            long next = current - before + graph.countNodes(graph.nodesTouching(space), counts)[measure];
            if (next > target) {
                counts.put(space, kept[j]);
                break;
            }
            current = next;
            for (int a : add) {
                keep[j][a] = true;
            }
            kept[j] += add.length;
        }
        return keep;
    }

    /**
     * Units of the given sets in ranking order, encoded as (set << 20 | index): by score (global scope), or by
     * rank within the set divided by its size (layer scope: every layer at the same ratio), ties by position.
     */
    private static List<Integer> globalOrder(int[] idx, List<float[]> scores, boolean byFraction, List<UnitSet> sets) {
        int n = 0;
        for (int j : idx) {
            n += scores.get(j).length;
        }
        float[] key = new float[n];
        int[] code = new int[n];
        int off = 0;
        for (int j : idx) {
            float[] s = scores.get(j);
            if (s.length >= (1 << 20)) {
                throw new IllegalArgumentException("too many channels in " + sets.get(j).name());
            }
            int[] rank = TopK.order(s);
            for (int r = 0; r < s.length; r++) {
                int i = rank[r];
                key[off + r] = byFraction ? -(float) ((r + 0.5) / s.length) : s[i];
                code[off + r] = (j << 20) | i;
            }
            off += s.length;
        }
        List<Integer> out = new ArrayList<>(n);
        for (int p : TopK.order(key)) {
            out.add(code[p]);
        }
        return out;
    }

    /** Fraction of each problem's linear cost that a selection keeps (to re-target the soft plan). */
    static double[] linearShare(List<Problem> problems, boolean[][] keep) {
        double[] out = new double[problems.size()];
        for (int q = 0; q < problems.size(); q++) {
            Problem p = problems.get(q);
            int[] idx = p.sets();
            double kept = 0;
            for (int k = 0; k < idx.length; k++) {
                double[] c = p.costs(k);
                for (int i = 0; i < c.length; i++) {
                    kept += keep[idx[k]][i] ? c[i] : 0;
                }
            }
            out[q] = kept / p.totalCost();
        }
        return out;
    }

}
