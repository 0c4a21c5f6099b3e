package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Structured units: the channels of one channel space (a layer's output channels, or channels that additions,
 * products or depthwise convs tie together). One score and one mask per channel, applied by the space's gates
 * ({@link ChannelGraph}).
 */
public final class ChannelUnits implements UnitSet {
    private final Network net;
    private final ChannelGraph graph;
    private final ChannelGraph.Space space;

    public ChannelUnits(Network net, ChannelGraph graph, ChannelGraph.Space space) {
        this.net = net;
        this.graph = graph;
        this.space = space;
    }

    public ChannelGraph graph() {
        return graph;
    }

    public ChannelGraph.Space space() {
        return space;
    }

    @Override public String name() { return space.name(); }
    @Override public int size() { return space.size(); }
    @Override public Shape shape() { return new Shape(space.size()); }

    @Override
    public List<PrunableLayer> layers() {
        List<PrunableLayer> l = new ArrayList<>(space.producers());
        space.consumers().forEach(c -> l.add(c.layer()));
        return l;
    }

    @Override
    public List<String> members() {
        return space.producers().stream().map(PrunableLayer::name).toList();
    }

    /**
     * What one channel costs at full width: the graph's counts with and without one channel of the space (its
     * producers' rows, BN terms, depthwise filters, and its consumers' input slices). When neighbouring channels go
     * too the true saving is smaller; the hard selection counts it exactly ({@link ChannelGraph#countWith}).
     */
    @Override
    public double[] costs(PruneConfig.Budget budget) {
        double v = switch (budget) {
            case COUNT -> 1;
            case PARAMS -> graph.unitCost(space)[0];
            case FLOPS -> graph.unitCost(space)[1];
            case LATENCY -> throw new IllegalArgumentException("a latency budget is for depth units");
        };
        double[] out = new double[size()];
        Arrays.fill(out, v);
        return out;
    }

    /**
     * L2 norm of each channel's weights over all its producers. Experimental, for measuring the choice (issue 17, not
     * a default): {@code -Dotprune.channelMagnitude=bn} takes the L2 norm of the channel's BatchNorm scales (γ) over
     * the space's BN nodes instead, where every BN of the space holds exactly its channels.
     */
    @Override
    public float[] magnitudes() {
        if ("bn".equals(System.getProperty("otprune.channelMagnitude"))) {
            float[] bn = bnScales();
            if (bn != null) {
                return bn;
            }
        }
        float[][] rows = channelWeights();
        float[] out = new float[size()];
        for (int c = 0; c < out.length; c++) {
            double sq = 0;
            for (float v : rows[c]) {
                sq += (double) v * v;
            }
            out[c] = (float) Math.sqrt(sq);
        }
        return out;
    }

    /** Per channel √Σγ² over the space's BN nodes, or null when it has none or one holds other channels too. */
    private float[] bnScales() {
        double[] sq = new double[size()];
        int found = 0;
        for (String m : space.members()) {
            if (!(net.graph().node(m).op() instanceof io.otprune.model.Ops.BatchNorm)) {
                continue;
            }
            float[] g = net.batchNormParameter(m, "gamma").getArray().toFloatArray();
            if (g.length != size()) {
                return null;
            }
            for (int c = 0; c < g.length; c++) {
                sq[c] += (double) g[c] * g[c];
            }
            found++;
        }
        if (found == 0) {
            return null;
        }
        float[] out = new float[size()];
        for (int c = 0; c < out.length; c++) {
            out[c] = (float) Math.sqrt(sq[c]);
        }
        return out;
    }

    /** Each channel's weights: its rows of every producer's weight tensor, concatenated in producer order. */
    public float[][] channelWeights() {
        List<float[]> all = new ArrayList<>();
        int per = 0;
        for (PrunableLayer p : space.producers()) {
            float[] w = p.weight().getArray().toFloatArray();
            all.add(w);
            per += w.length / size();
        }
        float[][] out = new float[size()][per];
        int off = 0;
        for (float[] w : all) {
            int rowLen = w.length / size();
            for (int c = 0; c < size(); c++) {
                System.arraycopy(w, c * rowLen, out[c], off, rowLen);
            }
            off += rowLen;
        }
        return out;
    }

    @Override
    public void installMask(NDArray mask) {
        graph.setMask(space, mask);
        graph.installGates();
    }

    @Override
    public void clearMask() {
        graph.setMask(space, null);
    }

    /**
     * Zeroes what belongs to a pruned channel in every member of the space (producers' weight rows and biases,
     * depthwise filters, BN scales and shifts) and keeps the hard mask on the gates, so that the channel is exactly
     * 0 wherever it is read, as in the compact model.
     */
    @Override
    public void enforce(NDArray hardMask) {
        for (String member : space.members()) {
            Block b = net.block().blockOf(member);
            if (b == null) {
                continue;
            }
            for (String p : new String[] {"weight", "bias", "gamma", "beta"}) {
                Parameter param = b.getDirectParameters().contains(p) ? b.getDirectParameters().get(p) : null;
                if (param != null && param.getArray().getShape().get(0) == size()) {
                    NDArray a = param.getArray();
                    long[] rows = new long[a.getShape().dimension()];
                    Arrays.fill(rows, 1);
                    rows[0] = size();
                    a.muli(hardMask.reshape(new Shape(rows)));
                }
            }
        }
        installMask(hardMask);
    }

    @Override
    public float[][] unitWeights() {
        return channelWeights();
    }

    /** CPOT merging: each pruned channel's consumer slices go to its nearest kept channels ({@link Cpot#mergePlan}). */
    @Override
    public void mergePruned(boolean[] keep) {
        List<Integer> pruned = new ArrayList<>(), kept = new ArrayList<>();
        for (int c = 0; c < keep.length; c++) {
            (keep[c] ? kept : pruned).add(c);
        }
        if (pruned.isEmpty() || kept.isEmpty()) {
            return;
        }
        double[][] share = Cpot.mergePlan(channelWeights(), pruned, kept);
        for (ChannelGraph.Consumer consumer : space.consumers()) {
            Cpot.addSlices(consumer, size(), pruned, kept, share);
        }
    }
}
