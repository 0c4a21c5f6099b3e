package io.otprune.prune;

import ai.djl.ndarray.NDManager;
import io.otprune.model.Graph;
import io.otprune.model.Network;
import io.otprune.model.Node;
import io.otprune.model.Ops;
import io.otprune.model.PrunableLayer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact merges of layers that act linearly. A hidden dense layer whose ReLU is constant on every channel (always on:
 * identity; always off: zero) computes D·(W x + b) with D a fixed 0/1 diagonal, so the next dense layer C takes it in:
 * W_C' = W_C·D·W, b_C' = W_C·D·b + b_C, and the layer disappears. (Two 3×3 convs, or a conv and a max-pool, do not
 * compose into one layer of the same family, so conv layers are not folded here.) BatchNorm in inference is an affine
 * map per channel and folds into the conv before it: w' = w·γ/√(σ²+ε), b' = β − γμ/√(σ²+ε).
 */
public final class Folding {
    private Folding() {}

    /**
     * Whether {@code layer} can be folded into the next layer by {@link #foldDense}: a linear node whose only
     * reader is a ReLU whose only reader is another linear node.
     */
    public static boolean foldable(Network net, String layer) {
        return next(net.graph(), layer) != null;
    }

    /** The linear node after {@code layer}'s ReLU, or null when the pattern linear → ReLU → linear does not hold. */
    private static Node next(Graph g, String layer) {
        if (!g.has(layer) || !(g.node(layer).op() instanceof Ops.Linear)) {
            return null;
        }
        List<Node> r = g.consumers(layer);
        if (r.size() != 1 || !(r.get(0).op() instanceof Ops.Relu)) {
            return null;
        }
        List<Node> n = g.consumers(r.get(0).name());
        return n.size() == 1 && n.get(0).op() instanceof Ops.Linear ? n.get(0) : null;
    }

    /**
     * The network with the given hidden dense layers folded into their successors.
     *
     * @param alwaysOn per folded layer, which of its channels pass (the rest are always off)
     */
    public static Network foldDense(Network net, Map<String, boolean[]> alwaysOn, NDManager manager) {
        Graph g = net.graph();
        Map<String, float[]> weights = new HashMap<>(), biases = new HashMap<>();
        List<String> order = new ArrayList<>();
        g.weightedNodes().forEach(n -> {
            if (alwaysOn.containsKey(n.name())) {
                order.add(n.name());
            }
        });
        // from the last layer back, so a successor has already absorbed the layers after it
        for (int k = order.size() - 1; k >= 0; k--) {
            String name = order.get(k);
            Node next = next(g, name);
            if (next == null) {
                throw new IllegalArgumentException(name + " cannot be folded exactly into the next layer");
            }
            Ops.Linear l = (Ops.Linear) g.node(name).op();
            Ops.Linear c = (Ops.Linear) next.op();
            float[] wc = weights.computeIfAbsent(next.name(), n -> net.layer(n).weight().getArray().toFloatArray());
            float[] bc = biases.computeIfAbsent(next.name(), n -> bias(net.layer(n), c.out()));
            int outC = c.out(), mid = l.out(), in = l.in();
            float[] w = net.layer(name).weight().getArray().toFloatArray();
            float[] b = bias(net.layer(name), mid);
            boolean[] on = alwaysOn.get(name);
            float[] nw = new float[outC * in];
            float[] nb = bc.clone();
            for (int o = 0; o < outC; o++) {
                for (int m = 0; m < mid; m++) {
                    double f = wc[o * mid + m];
                    if (!on[m] || f == 0) {
                        continue;
                    }
                    nb[o] += (float) (f * b[m]);
                    for (int x = 0; x < in; x++) {
                        nw[o * in + x] += (float) (f * w[m * in + x]);
                    }
                }
            }
            weights.put(next.name(), nw);
            biases.put(next.name(), nb);
            // the successor now reads what the folded layer read; the layer and its ReLU go
            String relu = g.consumers(name).get(0).name();
            List<Node> nodes = new ArrayList<>();
            for (Node n : g.nodes()) {
                if (n.name().equals(name) || n.name().equals(relu)) {
                    continue;
                }
                nodes.add(n == next ? new Node(n.name(), new Ops.Linear(outC, in, true), g.node(name).input()) : n);
            }
            g = g.withNodes(nodes);
        }
        Network out = new Network(g);
        out.initialize(manager);
        out.copyParametersFrom(net);
        for (PrunableLayer d : out.layers()) {
            if (weights.containsKey(d.name())) {
                d.weight().getArray().set(weights.get(d.name()));
                d.bias().getArray().set(biases.get(d.name()));
            }
        }
        return out;
    }

    private static float[] bias(PrunableLayer l, int n) {
        return l.bias() == null ? new float[n] : l.bias().getArray().toFloatArray();
    }

    /** A conv's weight and bias with the BatchNorm after it folded in (inference statistics). */
    public record Folded(float[] weight, float[] bias) {}

    public static Folded foldBatchNorm(float[] weight, float[] bias, int outChannels, float[] gamma, float[] beta,
            float[] mean, float[] var, double eps) {
        int per = weight.length / outChannels;
        float[] w = new float[weight.length];
        float[] b = new float[outChannels];
        for (int o = 0; o < outChannels; o++) {
            double scale = gamma[o] / Math.sqrt(var[o] + eps);
            for (int i = 0; i < per; i++) {
                w[o * per + i] = (float) (weight[o * per + i] * scale);
            }
            double b0 = bias == null ? 0 : bias[o];
            b[o] = (float) (beta[o] + (b0 - mean[o]) * scale);
        }
        return new Folded(w, b);
    }
}
