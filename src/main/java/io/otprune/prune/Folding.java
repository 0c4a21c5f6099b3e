package io.otprune.prune;

import ai.djl.ndarray.NDManager;
import io.otprune.model.Architectures;
import io.otprune.model.DenseUnit;
import io.otprune.model.Network;
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

    /** Whether {@code layer} can be folded into the next layer of {@code net} by {@link #foldDense}. */
    public static boolean foldable(Network net, String layer) {
        return Architectures.removable(net.spec().id()).contains(layer)
                && net.findLayer(layer).map(l -> l instanceof DenseUnit d && d.relu()).orElse(false);
    }

    /**
     * The network with the given hidden dense layers folded into their successors.
     *
     * @param alwaysOn per folded layer, which of its channels pass (the rest are always off)
     */
    public static Network foldDense(Network net, Map<String, boolean[]> alwaysOn, NDManager manager) {
        List<PrunableLayer> layers = net.layers();
        Map<String, float[]> weights = new HashMap<>(), biases = new HashMap<>();
        Map<String, Integer> inputs = new HashMap<>();
        // from the last layer back, so a successor has already absorbed the layers after it
        for (int i = layers.size() - 1; i >= 0; i--) {
            PrunableLayer l = layers.get(i);
            if (!alwaysOn.containsKey(l.name())) {
                continue;
            }
            if (!foldable(net, l.name())) {
                throw new IllegalArgumentException(l.name() + " cannot be folded exactly into the next layer");
            }
            PrunableLayer next = null;
            for (int k = i + 1; k < layers.size() && next == null; k++) {
                if (!alwaysOn.containsKey(layers.get(k).name())) {
                    next = layers.get(k);
                }
            }
            String c = next.name();
            float[] wc = weights.computeIfAbsent(c, n -> net.layer(n).weight().getArray().toFloatArray());
            float[] bc = biases.computeIfAbsent(c, n -> net.layer(n).bias().getArray().toFloatArray());
            int outC = next.outChannels();
            int mid = l.outChannels();
            int in = l.inChannels();
            float[] w = l.weight().getArray().toFloatArray();
            float[] b = l.bias().getArray().toFloatArray();
            boolean[] on = alwaysOn.get(l.name());
            float[] nw = new float[outC * in];
            float[] nb = bc.clone();
            for (int o = 0; o < outC; o++) {
                for (int m = 0; m < mid; m++) {
                    if (!on[m]) {
                        continue;
                    }
                    double f = wc[o * mid + m];
                    if (f == 0) {
                        continue;
                    }
                    nb[o] += (float) (f * b[m]);
                    int row = m * in;
                    int dst = o * in;
                    for (int x = 0; x < in; x++) {
                        nw[dst + x] += (float) (f * w[row + x]);
                    }
                }
            }
            weights.put(c, nw);
            biases.put(c, nb);
            inputs.put(c, in);
        }
        Network out = Architectures.build(net.spec().withRemoved(new ArrayList<>(alwaysOn.keySet())));
        out.initialize(manager);
        for (PrunableLayer d : out.layers()) {
            if (weights.containsKey(d.name())) {
                d.weight().getArray().set(weights.get(d.name()));
                d.bias().getArray().set(biases.get(d.name()));
            } else {
                Compactor.copyLayer(net.layer(d.name()), d);
            }
        }
        return out;
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
