package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.otprune.data.Batches;
import io.otprune.data.ImageSet;
import io.otprune.data.Normalization;
import io.otprune.model.ArchSpec;
import io.otprune.model.Architectures;
import io.otprune.model.ConvUnit;
import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a channel-pruned network into a physically smaller one of the same family: pruned channels are removed
 * from their producers' weights, biases and BN terms (statistics included) and from their consumers' input
 * slices; the new widths go into the spec.
 */
public final class Compactor {
    private Compactor() {}

    /** The kept channel indices of every prunable space, from a selection over the unit sets. */
    public static Map<ChannelGraph.Space, int[]> keptChannels(List<UnitSet> sets, boolean[][] keep) {
        Map<ChannelGraph.Space, int[]> out = new IdentityHashMap<>();
        for (int j = 0; j < sets.size(); j++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < keep[j].length; i++) {
                if (keep[j][i]) {
                    idx.add(i);
                }
            }
            out.put(((ChannelUnits) sets.get(j)).space(), idx.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** Builds and fills the compact network in {@code manager}. */
    public static Network compact(Network net, ChannelGraph graph, Map<ChannelGraph.Space, int[]> kept,
            NDManager manager) {
        ArchSpec spec = net.spec();
        List<Integer> widths = new ArrayList<>();
        List<String> names = Architectures.widthLayers(spec.id());
        for (int i = 0; i < names.size(); i++) {
            PrunableLayer l = net.findLayer(names.get(i)).orElse(null);
            int[] k = l == null ? null : kept.get(graph.outputOf(l));
            // a layer a depth-pruned model no longer has keeps its (unused) width
            widths.add(l == null ? spec.widths().get(i) : k == null ? l.outChannels() : k.length);
        }
        ArchSpec small = spec.withWidths(widths);
        Network out = Architectures.build(small);
        out.initialize(manager);
        for (PrunableLayer src : net.layers()) {
            PrunableLayer dst = out.layer(src.name());
            int[] rows = kept.getOrDefault(graph.outputOf(src), all(src.outChannels()));
            int fpc = graph.featuresPerChannel(src);
            int[] ch = kept.getOrDefault(graph.inputOf(src), all(graph.inputOf(src).size()));
            int[] cols = new int[ch.length * fpc]; // input features: each kept channel's block of fpc features
            for (int c = 0; c < ch.length; c++) {
                for (int f = 0; f < fpc; f++) {
                    cols[c * fpc + f] = ch[c] * fpc + f;
                }
            }
            copyWeight(src.weight(), dst.weight(), src.outChannels(), src.inChannels(), src.kernel() * src.kernel(),
                    rows, cols);
            if (src.bias() != null) {
                copyRows(src.bias(), dst.bias(), rows);
            }
            if (src instanceof ConvUnit cs && cs.batchNorm() != null) {
                ConvUnit cd = (ConvUnit) dst;
                for (String p : new String[] {"gamma", "beta", "runningMean", "runningVar"}) {
                    copyRows(cs.batchNorm().getDirectParameters().get(p), cd.batchNorm().getDirectParameters().get(p),
                            rows);
                }
            }
        }
        return out;
    }

    /**
     * The network without the given residual blocks (depth pruning): every remaining layer, a removed projection
     * block's projection included, takes its parameters unchanged. Exact when the removed blocks' branches output 0
     * (their gates were 0 or their last BN scale and shift are zero).
     */
    public static Network removeBlocks(Network net, List<String> blocks, NDManager manager) {
        Network out = Architectures.build(net.spec().withRemoved(blocks));
        out.initialize(manager);
        copyLayers(net, out);
        return out;
    }

    /** Copies every layer of {@code dst} from the layer of the same name in {@code src} (same shapes). */
    static void copyLayers(Network src, Network dst) {
        for (PrunableLayer d : dst.layers()) {
            copyLayer(src.layer(d.name()), d);
        }
    }

    /** Fraction of the conv and linear weights that are exactly zero (unstructured sparsity left in a model). */
    public static double zeroFraction(Network net) {
        long zeros = 0, all = 0;
        for (PrunableLayer l : net.layers()) {
            for (float v : l.weight().getArray().toFloatArray()) {
                zeros += v == 0f ? 1 : 0;
                all++;
            }
        }
        return all == 0 ? 0 : (double) zeros / all;
    }

    /** Copies a layer's weight, bias and BN terms into a layer of the same shapes. */
    static void copyLayer(PrunableLayer s, PrunableLayer d) {
        copy(s.weight(), d.weight());
        if (d.bias() != null) {
            copy(s.bias(), d.bias());
        }
        if (d instanceof ConvUnit cd && cd.batchNorm() != null) {
            ConvUnit cs = (ConvUnit) s;
            for (String p : new String[] {"gamma", "beta", "runningMean", "runningVar"}) {
                copy(cs.batchNorm().getDirectParameters().get(p), cd.batchNorm().getDirectParameters().get(p));
            }
        }
    }

    private static void copy(Parameter src, Parameter dst) {
        if (!src.getArray().getShape().equals(dst.getArray().getShape())) {
            throw new IllegalStateException(src.getName() + ": shape " + src.getArray().getShape() + " vs "
                    + dst.getArray().getShape());
        }
        dst.getArray().set(src.getArray().toFloatArray());
    }

    private static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static void copyWeight(Parameter src, Parameter dst, int out, int in, int kk, int[] rows, int[] cols) {
        float[] w = src.getArray().toFloatArray();
        float[] v = new float[rows.length * cols.length * kk];
        int p = 0;
        for (int r : rows) {
            for (int c : cols) {
                System.arraycopy(w, (r * in + c) * kk, v, p, kk);
                p += kk;
            }
        }
        dst.getArray().set(v);
    }

    private static void copyRows(Parameter src, Parameter dst, int[] rows) {
        float[] w = src.getArray().toFloatArray();
        float[] v = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = w[rows[i]];
        }
        dst.getArray().set(v);
    }

    /** Largest absolute difference between two networks' logits over a data split (inference mode). */
    public static double maxAbsDiff(Network a, Network b, NDManager manager, ImageSet set, Normalization norm) {
        return difference(a, b, manager, set, norm).maxAbsDiff();
    }

    /** The largest |logit difference| of two networks, and the largest |logit| of the first (the scale it is read at). */
    public record Difference(double maxAbsDiff, double maxAbsLogit) {
        /**
         * Equal within 1e-4, relative to the logits' scale when they exceed 1: float32 sums in another order (a folded
         * product of two layers) differ by a few ulps of the largest term.
         */
        public boolean equal() {
            return maxAbsDiff <= 1e-4 * Math.max(1, maxAbsLogit);
        }
    }

    public static Difference difference(Network a, Network b, NDManager manager, ImageSet set, Normalization norm) {
        Batches batches = new Batches(set, norm, 500);
        int[] order = batches.order(0, 0, false);
        ParameterStore ps = new ParameterStore(manager, false);
        double max = 0, scale = 0;
        for (int i = 0; i < batches.count(); i++) {
            try (NDManager step = manager.newSubManager()) {
                Batches.Batch batch = batches.batch(step, order, i);
                NDArray ya = a.forward(ps, batch.images(), false);
                NDArray yb = b.forward(ps, batch.images(), false);
                max = Math.max(max, ya.sub(yb).abs().max().getFloat());
                scale = Math.max(scale, ya.abs().max().getFloat());
            }
        }
        return new Difference(max, scale);
    }
}
