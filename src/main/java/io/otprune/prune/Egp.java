package io.otprune.prune;

import io.otprune.model.Network;
import io.otprune.model.ReluSite;
import io.otprune.ot.TopK;
import java.util.List;
import java.util.Map;

/**
 * Entropy-guided pruning (after Liao, Quétu, Nguyen, Tartaglione, ICCV Workshops 2023): iterated unstructured
 * magnitude pruning whose per-layer share of each iteration's removals favours layers of low activation entropy and
 * small weights, so that they collapse (every channel always on or off) and can be removed.
 *
 * <p>Allocation, as this project implements it: z_l = mean_k(H_k·m_k) / (H_l·m_l), with H_l the entropy of the ReLU
 * after layer l (bits; the classifier, which no ReLU follows, counts as 1 bit) and m_l the mean |w| of its remaining
 * weights; z is clipped to [0, 10] (a layer at H = 0 would otherwise take everything), and layer l's share of the
 * iteration's removals is n_l·e^{z_l} / Σ_k n_k·e^{z_k}, n_l its remaining weights: a softmax of z over the remaining
 * weights. With equal z every layer loses the same fraction, as in global-rate pruning; without the n_l factor the
 * shares are counts, and a small layer (the classifier: 1,000 weights against fc1's 235,200) is emptied by the first
 * iteration (measured: mlp at 95%, 88.8% → 60%). Normalising by the mean keeps z near 1 for a typical layer, so the
 * softmax prefers low-entropy layers without making every iteration a one-layer cut. Each layer keeps at least 1% of its weights (at least one); what a layer
 * cannot give goes to the others by their shares. Within a layer the smallest remaining |w| go first.
 */
public final class Egp {
    static final double MIN_KEEP = 0.01;

    private Egp() {}

    /** Units kept after iteration t of T towards the final sparsity S: a geometric path, (1 − S)^(t/T) of them. */
    public static long keptAfter(long units, double sparsity, int t, int iterations) {
        if (t >= iterations) {
            return Math.round((1 - sparsity) * units);
        }
        return Math.round(units * Math.pow(1 - sparsity, (double) t / iterations));
    }

    /** Per unit set (one per layer), the entropy of the ReLU after it (1 bit where none follows). */
    public static double[] setEntropies(Network net, List<UnitSet> sets, Map<String, Double> entropyByRelu) {
        double[] h = new double[sets.size()];
        for (int j = 0; j < sets.size(); j++) {
            ReluSite site = net.reluAfter(sets.get(j).layers().get(0));
            h[j] = site == null ? 1.0 : entropyByRelu.getOrDefault(site.reluName(), 1.0);
        }
        return h;
    }

    /** How many units each set gives up to remove {@code remove} in all, by the entropy shares and the floors. */
    static long[] allocate(double[] entropy, double[] meanAbs, long[] kept, long[] size, long remove) {
        return allocate(entropy, meanAbs, kept, size, remove, new int[kept.length]);
    }

    /** The same, no set going below its own floor ({@link Selection#floorUnits}) either. */
    static long[] allocate(double[] entropy, double[] meanAbs, long[] kept, long[] size, long remove,
            int[] floors) {
        int n = entropy.length;
        double mean = 0;
        double[] hm = new double[n];
        for (int j = 0; j < n; j++) {
            hm[j] = Math.max(entropy[j] * meanAbs[j], 1e-12);
            mean += hm[j] / n;
        }
        double[] share = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            share[j] = Math.min(10, mean / hm[j]);
            max = Math.max(max, share[j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            share[j] = kept[j] * Math.exp(share[j] - max);
            sum += share[j];
        }
        long[] room = new long[n];
        long totalRoom = 0;
        for (int j = 0; j < n; j++) {
            long floor = Math.max(floors[j], Math.max(1, (long) Math.ceil(MIN_KEEP * size[j])));
            room[j] = Math.max(0, kept[j] - floor);
            totalRoom += room[j];
            share[j] /= sum;
        }
        if (remove > totalRoom) {
            throw new Selection.BudgetException("egp: removing " + remove + " more weights would cut a layer below "
                    + "1% of its weights" + (java.util.Arrays.stream(floors).anyMatch(f -> f > 0)
                            ? " or below its per-layer floor; lower the sparsity or the floors" : "; lower the sparsity"));
        }
        long[] take = new long[n];
        long left = remove;
        boolean[] full = new boolean[n];
        while (left > 0) {
            double open = 0;
            for (int j = 0; j < n; j++) {
                open += full[j] ? 0 : share[j];
            }
            long given = 0;
            for (int j = 0; j < n && given < left; j++) {
                if (full[j]) {
                    continue;
                }
                long want = Math.max(1, Math.round(left * share[j] / open));
                long t = Math.min(Math.min(want, room[j] - take[j]), left - given);
                take[j] += t;
                given += t;
                if (take[j] == room[j]) {
                    full[j] = true;
                }
            }
            left -= given;
        }
        return take;
    }

    /**
     * One egp iteration: removes units from the currently kept ones until {@code keptTarget} remain in all.
     *
     * @return the new keep vectors (the old ones are not changed)
     */
    public static boolean[][] prune(List<UnitSet> sets, double[] entropy, boolean[][] keep, long keptTarget) {
        return prune(sets, entropy, keep, keptTarget, new int[sets.size()]);
    }

    /** The same, every set keeping at least {@code floors[j]} units (the config's per-layer floors). */
    public static boolean[][] prune(List<UnitSet> sets, double[] entropy, boolean[][] keep, long keptTarget,
            int[] floors) {
        int n = sets.size();
        long[] kept = new long[n], size = new long[n];
        double[] meanAbs = new double[n];
        float[][] mags = new float[n][];
        long keptAll = 0;
        for (int j = 0; j < n; j++) {
            mags[j] = sets.get(j).magnitudes();
            size[j] = mags[j].length;
            double s = 0;
            for (int i = 0; i < mags[j].length; i++) {
                if (keep[j][i]) {
                    kept[j]++;
                    s += mags[j][i];
                }
            }
            meanAbs[j] = kept[j] > 0 ? s / kept[j] : 0;
            keptAll += kept[j];
        }
        long[] take = allocate(entropy, meanAbs, kept, size, Math.max(0, keptAll - keptTarget), floors);
        boolean[][] out = new boolean[n][];
        for (int j = 0; j < n; j++) {
            out[j] = keep[j].clone();
            if (take[j] == 0) {
                continue;
            }
            float[] key = mags[j].clone();
            for (int i = 0; i < key.length; i++) {
                if (!keep[j][i]) {
                    key[i] = Float.POSITIVE_INFINITY; // already pruned: not a candidate
                }
            }
            // the take[j] smallest: the top of the negated magnitudes
            for (int i = 0; i < key.length; i++) {
                key[i] = -key[i];
            }
            int[] order = TopK.order(key);
            for (int q = 0; q < take[j]; q++) {
                out[j][order[q]] = false;
            }
        }
        return out;
    }
}
