package io.otprune.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Deterministic stratified selections of samples (used for the embedded subsets and validation splits). */
public final class Subsets {
    private Subsets() {}

    /** For each class, the indices of its samples in a seeded random order. */
    public static int[][] indicesByClass(ImageSet set, int classes, SplittableRandom rng) {
        int[] labels = new int[set.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = set.label(i);
        }
        return indicesByClass(labels, classes, rng);
    }

    /** For each class, the indices of the samples with that label in a seeded random order. */
    public static int[][] indicesByClass(int[] labels, int classes, SplittableRandom rng) {
        int[] counts = new int[classes];
        for (int l : labels) {
            counts[l]++;
        }
        int[][] idx = new int[classes][];
        int[] fill = new int[classes];
        for (int c = 0; c < classes; c++) {
            idx[c] = new int[counts[c]];
        }
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            idx[c][fill[c]++] = i;
        }
        for (int[] a : idx) {
            shuffle(a, rng);
        }
        return idx;
    }

    /**
     * Takes {@code take[c]} indices from the front of each class list.
     *
     * @return {taken (sorted), rest (sorted)}
     */
    public static int[][] takeStratified(int[][] perClass, int[] take) {
        int total = 0, all = 0;
        for (int c = 0; c < perClass.length; c++) {
            if (take[c] > perClass[c].length) {
                throw new IllegalArgumentException("class " + c + " has " + perClass[c].length
                        + " samples, " + take[c] + " requested");
            }
            total += take[c];
            all += perClass[c].length;
        }
        int[] taken = new int[total];
        int[] rest = new int[all - total];
        int t = 0, r = 0;
        for (int c = 0; c < perClass.length; c++) {
            for (int k = 0; k < perClass[c].length; k++) {
                if (k < take[c]) {
                    taken[t++] = perClass[c][k];
                } else {
                    rest[r++] = perClass[c][k];
                }
            }
        }
        Arrays.sort(taken);
        Arrays.sort(rest);
        return new int[][] {taken, rest};
    }

    /** Fisher-Yates shuffle driven by the given generator. */
    public static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    /** The identity permutation 0..n-1. */
    public static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
