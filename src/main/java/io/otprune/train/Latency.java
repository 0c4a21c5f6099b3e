package io.otprune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.otprune.model.Network;
import java.util.Arrays;

/** Inference latency of a network: median wall time of a forward pass at a batch size, after warm-up. */
public final class Latency {
    private Latency() {}

    public static double medianMs(Network net, NDManager manager, int batch, int runs, int warmup) {
        return pairedMedianMs(new Network[] {net}, manager, batch, runs, warmup)[0];
    }

    /**
     * Median latencies of several networks measured in alternation (a, b, a, b, ...), so that a change in machine
     * load between measurements cannot favour one of them.
     */
    public static double[] pairedMedianMs(Network[] nets, NDManager manager, int batch, int runs, int warmup) {
        double[][] ms = new double[nets.length][runs];
        try (NDManager m = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(nets[0].inputShape(batch));
            for (int i = -warmup; i < runs; i++) {
                for (int k = 0; k < nets.length; k++) {
                    try (NDManager step = m.newSubManager()) {
                        NDArray in = x.duplicate();
                        in.attach(step);
                        long t0 = System.nanoTime();
                        NDArray y = nets[k].forward(ps, in, false);
                        y.toFloatArray(); // wait for the result
                        long t1 = System.nanoTime();
                        if (i >= 0) {
                            ms[k][i] = (t1 - t0) / 1e6;
                        }
                    }
                }
            }
        }
        double[] out = new double[nets.length];
        for (int k = 0; k < nets.length; k++) {
            Arrays.sort(ms[k]);
            out[k] = runs % 2 == 1 ? ms[k][runs / 2] : (ms[k][runs / 2 - 1] + ms[k][runs / 2]) / 2;
        }
        return out;
    }
}
