package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.otprune.data.Batches;
import io.otprune.data.ImageSet;
import io.otprune.data.Normalization;
import ai.djl.nn.Block;
import io.otprune.model.Network;
import io.otprune.model.Node;
import io.otprune.model.Op;
import io.otprune.model.PrunableLayer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a channel-pruned network into a physically smaller one: the graph with resized ops (fewer channels in every
 * space), each node's parameters sliced to the kept output channels and, for conv and linear layers, the kept input
 * channels (or each kept channel's slab of features after a flatten); BN statistics follow their channels.
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
        Map<ChannelGraph.Space, Integer> counts = new IdentityHashMap<>();
        kept.forEach((s, k) -> counts.put(s, k.length));
        List<Op> ops = graph.resizedOps(counts);
        List<Node> nodes = new ArrayList<>();
        List<Node> old = net.graph().nodes();
        for (int i = 0; i < old.size(); i++) {
            nodes.add(new Node(old.get(i).name(), ops.get(i), old.get(i).inputs()));
        }
        Network out = new Network(net.graph().withNodes(nodes));
        out.initialize(manager);
        for (Node n : old) {
            Block src = net.block().blockOf(n.name());
            if (src == null) {
                continue;
            }
            Block dst = out.block().blockOf(n.name());
            int[] rows = graph.keptIndices(n.name(), kept);
            // inputs are sliced only where the op mixes all input channels into each output (conv, linear)
            int[] cols = n.op().channelFlow() == Op.ChannelFlow.PRODUCE ? graph.keptIndices(n.input(), kept) : null;
            for (var p : src.getDirectParameters()) {
                NDArray a = p.getValue().getArray();
                float[] v = slice(a.toFloatArray(), a.getShape().getShape(), rows, cols);
                dst.getDirectParameters().get(p.getKey()).getArray().set(v);
            }
        }
        return out;
    }

    /** Rows (axis 0) and, if given, columns (axis 1) of a tensor stored row-major; trailing axes kept whole. */
    static float[] slice(float[] w, long[] shape, int[] rows, int[] cols) {
        if (shape.length == 1) {
            float[] v = new float[rows.length];
            for (int i = 0; i < rows.length; i++) {
                v[i] = w[rows[i]];
            }
            return v;
        }
        int in = (int) shape[1];
        int inner = 1;
        for (int d = 2; d < shape.length; d++) {
            inner *= (int) shape[d];
        }
        int[] c = cols;
        if (c == null) {
            c = new int[in];
            for (int i = 0; i < in; i++) {
                c[i] = i;
            }
        }
        float[] v = new float[rows.length * c.length * inner];
        int p = 0;
        for (int r : rows) {
            for (int col : c) {
                System.arraycopy(w, (r * in + col) * inner, v, p, inner);
                p += inner;
            }
        }
        return v;
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
