package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.otprune.model.ConvUnit;
import io.otprune.model.PrunableLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * Structured units: the channels of one channel space (a layer's output channels, or a residual stage's coupled
 * channels). One score and one mask per channel, applied as a gate on every producer's output after its BN.
 */
public final class ChannelUnits implements UnitSet {
    private final ChannelGraph graph;
    private final ChannelGraph.Space space;

    public ChannelUnits(ChannelGraph graph, ChannelGraph.Space space) {
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

    /**
     * What one channel costs at full width: its producers' weight rows, biases and BN terms, and its consumers'
     * input slices (parameters); or the multiply-adds of all of those. When neighbouring channels are pruned too the
     * true saving is smaller; the hard selection counts it exactly ({@link ChannelGraph#countWith}).
     */
    @Override
    public double[] costs(PruneConfig.Budget budget) {
        double params = 0, flops = 0;
        for (PrunableLayer p : space.producers()) {
            ChannelGraph.Space in = graph.inputOf(p);
            double rowIn = (double) in.size() * graph.featuresPerChannel(p) * p.kernel() * p.kernel();
            params += rowIn + (p.bias() != null ? 1 : 0) + (p.hasBatchNorm() ? 2 : 0);
            flops += rowIn * p.outputPositions();
        }
        for (ChannelGraph.Consumer c : space.consumers()) {
            PrunableLayer l = c.layer();
            double slice = (double) l.outChannels() * c.featuresPerChannel() * l.kernel() * l.kernel();
            params += slice;
            flops += slice * l.outputPositions();
        }
        double v = switch (budget) {
            case COUNT -> 1;
            case PARAMS -> params;
            case FLOPS -> flops;
            case LATENCY -> throw new IllegalArgumentException("a latency budget is for depth units");
        };
        double[] out = new double[size()];
        java.util.Arrays.fill(out, v);
        return out;
    }

    /** L2 norm of each channel's weights over all its producers. */
    @Override
    public float[] magnitudes() {
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
        for (PrunableLayer p : space.producers()) {
            Shape s = p.kind() == PrunableLayer.Kind.CONV ? new Shape(1, size(), 1, 1) : new Shape(1, size());
            // the activation first: the product belongs to the step's manager (PITFALLS 2)
            p.setChannelGate(y -> y.mul(mask.reshape(s)));
        }
    }

    @Override
    public void clearMask() {
        for (PrunableLayer p : space.producers()) {
            p.setChannelGate(null);
        }
    }

    /** Zeroes a pruned channel's weight rows, bias and BN gamma/beta in every producer: its output is then 0. */
    @Override
    public void enforce(NDArray hardMask) {
        for (PrunableLayer p : space.producers()) {
            NDArray w = p.weight().getArray();
            Shape rows = w.getShape().dimension() == 4 ? new Shape(size(), 1, 1, 1) : new Shape(size(), 1);
            w.muli(hardMask.reshape(rows));
            if (p.bias() != null) {
                p.bias().getArray().muli(hardMask);
            }
            if (p instanceof ConvUnit cu && cu.batchNorm() != null) {
                for (String name : new String[] {"gamma", "beta"}) {
                    Parameter bn = cu.batchNorm().getDirectParameters().get(name);
                    bn.getArray().muli(hardMask);
                }
            }
        }
    }
}
