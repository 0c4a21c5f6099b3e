package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import io.otprune.model.ResidualBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Depth units: the residual blocks of a network, one unit per block. The mask is a gate on the block's residual
 * branch (the shortcut stays), so a pruned block computes relu(shortcut(x)): x itself for an identity block, a
 * plain projection for a projection block; compaction then removes it ({@link Compactor#removeBlocks}).
 *
 * <p>A unit's cost is what removing the branch saves: its parameters, its multiply-adds, or its latency measured on
 * this machine ({@link #measureLatency}); a count budget counts blocks.
 */
public final class DepthUnits implements UnitSet {
    private final List<ResidualBlock> blocks;
    private double[] latencyMs;

    public DepthUnits(Network net) {
        if (net.residualBlocks().isEmpty()) {
            throw new IllegalArgumentException("depth pruning removes residual blocks, and " + net.spec().id()
                    + " has none; use structured or unstructured pruning");
        }
        this.blocks = net.residualBlocks();
    }

    public List<ResidualBlock> blocks() {
        return blocks;
    }

    @Override public String name() { return "blocks"; }
    @Override public int size() { return blocks.size(); }
    @Override public Shape shape() { return new Shape(blocks.size()); }

    @Override
    public List<PrunableLayer> layers() {
        List<PrunableLayer> out = new ArrayList<>();
        for (ResidualBlock b : blocks) {
            out.add(b.conv1());
            out.add(b.conv2());
        }
        return out;
    }

    /** Names of the blocks a keep vector removes. */
    public List<String> removedBlocks(boolean[] keep) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (!keep[i]) {
                out.add(blocks.get(i).name());
            }
        }
        return out;
    }

    @Override
    public double[] costs(PruneConfig.Budget budget) {
        double[] c = new double[size()];
        for (int i = 0; i < c.length; i++) {
            ResidualBlock b = blocks.get(i);
            c[i] = switch (budget) {
                case COUNT -> 1;
                case PARAMS -> b.branchParams();
                case FLOPS -> b.branchMacs();
                case LATENCY -> {
                    if (latencyMs == null) {
                        throw new IllegalStateException("latency costs are measured first (measureLatency)");
                    }
                    yield latencyMs[i];
                }
            };
        }
        return c;
    }

    /**
     * Measures each block's residual branch (inference, at {@code batch}): median of {@code runs} timed passes after
     * warm-up, blocks taken in alternation so a change in load spreads over all of them. Kept as the latency costs.
     */
    public double[] measureLatency(NDManager manager, int batch, int runs) {
        double[][] ms = new double[size()][runs];
        try (NDManager m = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDArray[] inputs = new NDArray[size()];
            for (int i = 0; i < size(); i++) {
                Shape s = blocks.get(i).inputShape();
                inputs[i] = ai.djl.nn.Activation.relu(m.randomNormal(new Shape(batch, s.get(1), s.get(2), s.get(3))));
            }
            for (int r = -3; r < runs; r++) {
                for (int i = 0; i < size(); i++) {
                    try (NDManager step = m.newSubManager()) {
                        NDArray in = inputs[i].duplicate();
                        in.attach(step);
                        long t0 = System.nanoTime();
                        blocks.get(i).branch(ps, new NDList(in), false).toFloatArray();
                        long t1 = System.nanoTime();
                        if (r >= 0) {
                            ms[i][r] = (t1 - t0) / 1e6;
                        }
                    }
                }
            }
        }
        latencyMs = new double[size()];
        for (int i = 0; i < size(); i++) {
            Arrays.sort(ms[i]);
            latencyMs[i] = Math.max(1e-6, ms[i][runs / 2]);
        }
        return latencyMs.clone();
    }

    /** The measured latencies (ms per block branch), or null before {@link #measureLatency}. */
    public double[] latencyMs() {
        return latencyMs == null ? null : latencyMs.clone();
    }

    /**
     * How strongly each block's branch writes into the residual stream: the RMS of the BN scale (gamma) at its end.
     * A data-free starting score; DTP then learns the importance.
     */
    @Override
    public float[] magnitudes() {
        float[] out = new float[size()];
        for (int i = 0; i < size(); i++) {
            ResidualBlock b = blocks.get(i);
            float[] gamma = b.conv2().batchNorm().getDirectParameters().get("gamma").getArray().toFloatArray();
            out[i] = (float) rms(gamma);
        }
        return out;
    }

    private static double rms(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s / Math.max(1, v.length));
    }

    @Override
    public void installMask(NDArray mask) {
        for (int i = 0; i < size(); i++) {
            // one slice per block, made now in the mask's (per-step) manager, with gradients to the scores
            NDArray gate = mask.get(i);
            blocks.get(i).setBranchGate(y -> y.mul(gate));
        }
    }

    @Override
    public void clearMask() {
        for (ResidualBlock b : blocks) {
            b.setBranchGate(null);
        }
    }

    /**
     * Zeroes a removed block's last BN scale and shift: its branch then outputs exactly 0, which is what the compact
     * model (without the block) computes.
     */
    @Override
    public void enforce(NDArray hardMask) {
        float[] keep = hardMask.toFloatArray();
        for (int i = 0; i < size(); i++) {
            if (keep[i] == 0f) {
                for (String p : new String[] {"gamma", "beta"}) {
                    Parameter bn = blocks.get(i).conv2().batchNorm().getDirectParameters().get(p);
                    // written as data, not an NDArray op: no scalar from Java (PITFALLS 1), nothing allocated per step
                    bn.getArray().set(new float[(int) bn.getArray().size()]);
                }
            }
        }
    }
}
