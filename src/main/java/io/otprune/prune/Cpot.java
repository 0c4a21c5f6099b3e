package io.otprune.prune;

import io.otprune.model.PrunableLayer;
import io.otprune.ot.LogSinkhorn;
import io.otprune.ot.SinkhornBarycenter;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPOT channel criterion (after Shen et al. 2020, "Channel pruning via optimal transport"), as this project
 * reads it: each channel's weights, as a distribution of values, are compared with the Wasserstein barycenter of
 * its layer's channels; a channel close to the barycenter is one the others already represent (redundant), a
 * channel far from it carries something of its own. The score is the distance, so the selection (which keeps the
 * highest scores) drops the most redundant channels.
 *
 * <p>Distributions: a channel's weights (over all producers of a coupled group) standardised by the group's
 * spread and binned on {@value #BINS} points spanning the group's range (linear splitting between the two nearest
 * points, a floor of 1e-6 so logarithms stay finite). Ground cost: squared distance on [0, 1]. ε = {@value #EPS}.
 * Barycenter by {@link SinkhornBarycenter}, distances by {@link LogSinkhorn} (the entropic transport cost).
 */
public final class Cpot {
    static final int BINS = 32;
    static final double EPS = 0.01;

    private Cpot() {}

    /** Per unit set (channel groups), each channel's distance to its group's barycenter. */
    public static List<float[]> scores(List<UnitSet> sets) {
        double[][] cost = SinkhornBarycenter.gridCost(BINS);
        List<float[]> out = new ArrayList<>();
        for (UnitSet u : sets) {
            double[][] h = histograms(u.unitWeights());
            double[] bary = SinkhornBarycenter.solve(h, null, cost, EPS, 500, 1e-9).barycenter();
            for (int j = 0; j < bary.length; j++) {
                bary[j] = Math.max(bary[j], 1e-12);
            }
            float[] d = new float[h.length];
            for (int c = 0; c < h.length; c++) {
                d[c] = (float) LogSinkhorn.solve(cost, h[c], bary, EPS, 2000, 1e-9).cost();
            }
            out.add(d);
        }
        return out;
    }

    /** Histograms of the channels' weight values on a common grid spanning all of them. */
    static double[][] histograms(float[][] channels) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float[] row : channels) {
            for (float v : row) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double span = hi > lo ? hi - lo : 1;
        double[][] h = new double[channels.length][BINS];
        for (int c = 0; c < channels.length; c++) {
            double total = 0;
            for (float v : channels[c]) {
                double x = (v - lo) / span * (BINS - 1);
                int i = Math.min(BINS - 2, (int) Math.floor(x));
                double frac = x - i;
                h[c][i] += 1 - frac;
                h[c][i + 1] += frac;
            }
            for (int i = 0; i < BINS; i++) {
                h[c][i] += 1e-6 * channels[c].length;
                total += h[c][i];
            }
            for (int i = 0; i < BINS; i++) {
                h[c][i] /= total;
            }
        }
        return h;
    }

    /**
     * Merging instead of dropping: each pruned channel's contribution to its consumers is added to the kept channels
     * of its group, shared out by an entropic transport plan from pruned to kept channels whose cost is the squared
     * distance between the channels' (unit-normalised) weights. The plan is semi-relaxed (each pruned channel sends
     * all its mass; kept channels may receive any amount), so its row is a softmin over the kept channels with
     * ε = 2% of the mean cost: in effect the nearest kept channel, shared when several are about as near. A balanced
     * plan would force every kept channel to receive the same mass, spreading a pruned channel over unrelated ones.
     * Changes the consumers' input weights of kept channels in place; the pruned channels are then removed as usual.
     */
    public static void merge(List<UnitSet> sets, boolean[][] keep) {
        for (int j = 0; j < sets.size(); j++) {
            sets.get(j).mergePruned(keep[j]);
        }
    }

    /** The semi-relaxed plan (pruned × kept), rows summing to 1. */
    static double[][] mergePlan(float[][] w, List<Integer> pruned, List<Integer> kept) {
        double[][] unit = new double[w.length][];
        for (int c = 0; c < w.length; c++) {
            double n = 0;
            for (float v : w[c]) {
                n += (double) v * v;
            }
            n = Math.sqrt(n);
            unit[c] = new double[w[c].length];
            for (int i = 0; i < w[c].length; i++) {
                unit[c][i] = n > 0 ? w[c][i] / n : 0;
            }
        }
        double[][] cost = new double[pruned.size()][kept.size()];
        double mean = 0;
        for (int p = 0; p < pruned.size(); p++) {
            for (int k = 0; k < kept.size(); k++) {
                double d = 0;
                double[] a = unit[pruned.get(p)], b = unit[kept.get(k)];
                for (int i = 0; i < a.length; i++) {
                    d += (a[i] - b[i]) * (a[i] - b[i]);
                }
                cost[p][k] = d;
                mean += d;
            }
        }
        mean /= pruned.size() * (double) kept.size();
        double eps = Math.max(1e-9, 0.02 * mean);
        double[][] plan = new double[pruned.size()][kept.size()];
        for (int p = 0; p < pruned.size(); p++) {
            double min = Double.POSITIVE_INFINITY;
            for (double c : cost[p]) {
                min = Math.min(min, c);
            }
            double s = 0;
            for (int k = 0; k < kept.size(); k++) {
                plan[p][k] = Math.exp(-(cost[p][k] - min) / eps);
                s += plan[p][k];
            }
            for (int k = 0; k < kept.size(); k++) {
                plan[p][k] /= s;
            }
        }
        return plan;
    }

    /** Adds each pruned channel's input slice of a consumer to the kept channels' slices, by the plan's shares. */
    static void addSlices(ChannelGraph.Consumer consumer, int channels, List<Integer> pruned, List<Integer> kept,
            double[][] share) {
        PrunableLayer l = consumer.layer();
        float[] w = l.weight().getArray().toFloatArray();
        int fpc = consumer.featuresPerChannel();
        int kk = l.kernelSize();
        int in = l.inPerOutput(); // features per output row
        int slice = fpc * kk;
        int base = consumer.offset() * kk;
        for (int o = 0; o < l.outChannels(); o++) {
            int row = o * in * kk + base;
            for (int p = 0; p < pruned.size(); p++) {
                int from = row + pruned.get(p) * slice;
                for (int k = 0; k < kept.size(); k++) {
                    double f = share[p][k];
                    if (f < 1e-6) {
                        continue;
                    }
                    int to = row + kept.get(k) * slice;
                    for (int i = 0; i < slice; i++) {
                        w[to + i] += (float) (f * w[from + i]);
                    }
                }
            }
        }
        l.weight().getArray().set(w);
    }
}
