package io.otprune.ot;

import java.util.Arrays;

/** Exact hard selections: the limit ε → 0 of the two-point transport plan, with ties broken by lower index. */
public final class TopK {
    private TopK() {}

    /** Unit indices ordered by score, highest first; equal scores keep index order (deterministic). */
    public static int[] order(float[] scores) {
        // Sort primitive keys: high 32 bits the score made order-preserving and inverted, low 32 bits the index.
        long[] keys = new long[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int bits = Float.floatToIntBits(scores[i] == 0f ? 0f : scores[i]); // -0 and 0 tie
            int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
            keys[i] = ((long) ~sortable << 32) | i;
        }
        Arrays.sort(keys);
        int[] out = new int[keys.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) keys[i];
        }
        return out;
    }

    /** Keep exactly k units with the highest scores. */
    public static boolean[] keepTop(float[] scores, int k) {
        if (k < 0 || k > scores.length) {
            throw new IllegalArgumentException("cannot keep " + k + " of " + scores.length + " units");
        }
        boolean[] keep = new boolean[scores.length];
        int[] order = order(scores);
        for (int i = 0; i < k; i++) {
            keep[order[i]] = true;
        }
        return keep;
    }

    /**
     * Keep the highest-scoring units while their total cost stays within {@code budget}: the kept cost ends within
     * one unit's cost below the budget (the prefix stops at the first unit that does not fit).
     */
    public static boolean[] keepWithinCost(float[] scores, double[] cost, double budget) {
        boolean[] keep = new boolean[scores.length];
        double used = 0;
        for (int i : order(scores)) {
            if (used + cost[i] > budget * (1 + 1e-12)) {
                break;
            }
            used += cost[i];
            keep[i] = true;
        }
        return keep;
    }
}
