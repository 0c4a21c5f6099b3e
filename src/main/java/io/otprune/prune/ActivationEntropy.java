package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.otprune.data.Batches;
import io.otprune.data.ImageSet;
import io.otprune.data.Normalization;
import io.otprune.model.Network;
import io.otprune.model.ReluSite;
import io.otprune.train.RunEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Activation entropy of every ReLU (Liao, Quétu, Nguyen, Tartaglione 2023): for each channel the probability p that
 * the ReLU's input is positive over the data (every sample and, for conv layers, every position), its binary
 * entropy H(p) in bits, and per layer the mean H over the channels that are not constant. A channel with p = 1 is
 * always on (the ReLU is the identity on it), p = 0 always off (it outputs 0). A layer whose channels are all
 * constant applies a fixed 0/1 diagonal, a linear map: the ReLU can go, and the layer merges with the next linear
 * layer where the shapes allow ({@link Folding}).
 */
public final class ActivationEntropy {
    private ActivationEntropy() {}

    /** One ReLU's statistics over the probe data. */
    public record Layer(String name, double[] positive, double entropy, int alwaysOn, int alwaysOff) {
        public int channels() {
            return positive.length;
        }

        /** Every channel always on or always off over the probe data: the layer acts linearly on it. */
        public boolean removable() {
            return alwaysOn + alwaysOff == positive.length;
        }

        /** On-channels mask (what the ReLU reduces to when removable). */
        public boolean[] alwaysOnMask() {
            boolean[] on = new boolean[positive.length];
            for (int c = 0; c < on.length; c++) {
                on[c] = positive[c] == 1.0;
            }
            return on;
        }
    }

    /**
     * One ReLU's activation entropy at the end of a run (egp's summary): mean binary entropy of "input &gt; 0" over its
     * non-constant channels, how many channels are always on or always off, and what that made of the layer.
     */
    public record Report(String layer, double entropy, int channels, int alwaysOn, int alwaysOff, String status) {}

    /** Binary entropy in bits. */
    public static double binaryEntropy(double p) {
        if (p <= 0 || p >= 1) {
            return 0;
        }
        return -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2);
    }

    /**
     * Runs the first {@code maxSamples} images of {@code set} through the network (inference) with a probe on every
     * ReLU, in batches of 500.
     */
    public static List<Layer> measure(Network net, NDManager manager, ImageSet set, Normalization norm,
            int maxSamples) {
        List<ReluSite> sites = net.reluSites();
        double[][] pos = new double[sites.size()][];
        double[] seen = new double[sites.size()];
        Batches batches = new Batches(set, norm, 500);
        int[] order = batches.order(0, 0, false);
        ParameterStore ps = new ParameterStore(manager, false);
        try {
            for (int s = 0; s < sites.size(); s++) {
                int idx = s;
                pos[s] = new double[sites.get(s).reluChannels()];
                sites.get(s).setReluProbe(y -> {
                    long[] shape = y.getShape().getShape();
                    int[] axes = shape.length == 4 ? new int[] {0, 2, 3} : new int[] {0};
                    float[] c = y.gt(0).toType(DataType.FLOAT32, false).sum(axes).toFloatArray();
                    for (int ch = 0; ch < c.length; ch++) {
                        pos[idx][ch] += c[ch];
                    }
                    seen[idx] += shape.length == 4 ? shape[0] * shape[2] * shape[3] : shape[0];
                });
            }
            int done = 0;
            for (int i = 0; i < batches.count() && done < maxSamples; i++) {
                try (NDManager step = manager.newSubManager()) {
                    Batches.Batch batch = batches.batch(step, order, i);
                    net.forward(ps, batch.images(), false);
                    done += (int) batch.images().getShape().get(0);
                }
            }
        } finally {
            for (ReluSite site : sites) {
                site.setReluProbe(null);
            }
        }
        List<Layer> out = new ArrayList<>();
        for (int s = 0; s < sites.size(); s++) {
            double h = 0;
            int on = 0, off = 0, active = 0;
            for (int ch = 0; ch < pos[s].length; ch++) {
                double p = pos[s][ch] / seen[s];
                pos[s][ch] = p;
                if (p == 1.0) {
                    on++;
                } else if (p == 0.0) {
                    off++;
                } else {
                    h += binaryEntropy(p);
                    active++;
                }
            }
            out.add(new Layer(sites.get(s).reluName(), pos[s], active == 0 ? 0 : h / active, on, off));
        }
        return out;
    }

    /** The event a measurement makes. */
    public static RunEvent.Entropy event(int iteration, int iterations, double sparsity, List<Layer> layers,
            List<String> removable) {
        List<String> names = new ArrayList<>();
        List<Double> h = new ArrayList<>();
        List<Integer> ch = new ArrayList<>(), on = new ArrayList<>(), off = new ArrayList<>();
        for (Layer l : layers) {
            names.add(l.name());
            h.add(l.entropy());
            ch.add(l.channels());
            on.add(l.alwaysOn());
            off.add(l.alwaysOff());
        }
        return new RunEvent.Entropy(iteration, iterations, sparsity, names, h, ch, on, off, removable);
    }

    /** Names of the removable layers. */
    public static List<String> removable(List<Layer> layers) {
        return layers.stream().filter(Layer::removable).map(Layer::name).toList();
    }
}
