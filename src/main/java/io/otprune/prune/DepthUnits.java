package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.otprune.model.Graph;
import io.otprune.model.Network;
import io.otprune.model.Node;
import io.otprune.model.Ops;
import io.otprune.model.PrunableLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Depth units: the residual patterns of a graph, one unit per pattern. A pattern is an Add of a branch and a
 * shortcut that both start at the same node (the fork): the branch holds at least one conv and nothing outside it
 * reads its nodes; the shortcut is the fork itself (identity) or a path of its own (a projection). The mask is a
 * gate on the branch's last node, so a pruned block computes shortcut(x) (then whatever follows the Add, e.g. a
 * ReLU); compaction ({@link #removeBlocks}) deletes the branch and replaces the Add with an identity.
 *
 * <p>A unit's cost is what removing the branch saves: its parameters, its multiply-adds, or its latency measured on
 * this machine ({@link #measureLatency}); a count budget counts blocks.
 */
public final class DepthUnits implements UnitSet {

    /** One residual pattern: the Add node, the fork, the branch's nodes in order, and its last node. */
    public record Residual(String name, String add, String fork, List<String> branch, String tail) {}

    private final Network net;
    private final List<Residual> blocks;
    private double[] latencyMs;

    public DepthUnits(Network net) {
        this.net = net;
        this.blocks = find(net.graph());
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("depth pruning removes residual blocks (an addition of a branch and a "
                    + "shortcut), and this network has none; use structured or unstructured pruning");
        }
    }

    /** The residual patterns of a graph, in order. */
    public static List<Residual> find(Graph g) {
        List<Node> nodes = g.nodes();
        Map<String, Integer> pos = new HashMap<>();
        pos.put(Graph.INPUT, -1);
        Map<String, BitSet> anc = new HashMap<>();
        anc.put(Graph.INPUT, new BitSet());
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            pos.put(n.name(), i);
            BitSet a = new BitSet();
            for (String in : n.inputs()) {
                a.or(anc.get(in));
            }
            a.set(i + 1); // bit 0 is the input
            anc.put(n.name(), a);
        }
        List<Residual> out = new ArrayList<>();
        for (Node add : nodes) {
            if (!(add.op() instanceof Ops.Add) || add.inputs().size() != 2) {
                continue;
            }
            String a = add.inputs().get(0), b = add.inputs().get(1);
            BitSet common = (BitSet) anc.get(a).clone();
            common.and(anc.get(b));
            int forkBit = common.length() - 1;
            String fork = forkBit <= 0 ? Graph.INPUT : nodes.get(forkBit - 1).name();
            List<String> pa = path(nodes, anc.get(a), anc.get(fork)), pb = path(nodes, anc.get(b), anc.get(fork));
            long ma = macs(g, pa), mb = macs(g, pb);
            List<String> branch = ma >= mb ? pa : pb, shortcut = ma >= mb ? pb : pa;
            String tail = ma >= mb ? a : b;
            if (branch.isEmpty() || macs(g, branch) == 0 || !closed(g, branch, add.name())
                    || !closed(g, shortcut, add.name())) {
                continue;
            }
            String name = add.name().endsWith(".add") ? add.name().substring(0, add.name().length() - 4) : add.name();
            out.add(new Residual(name, add.name(), fork, branch, tail));
        }
        return out;
    }

    private static List<String> path(List<Node> nodes, BitSet of, BitSet before) {
        BitSet p = (BitSet) of.clone();
        p.andNot(before);
        List<String> out = new ArrayList<>();
        p.stream().filter(i -> i > 0).forEach(i -> out.add(nodes.get(i - 1).name()));
        return out;
    }

    private static long macs(Graph g, List<String> path) {
        return path.stream().mapToLong(n -> g.macs(g.node(n))).sum();
    }

    /** Whether only the path itself and the Add read the path's nodes. */
    private static boolean closed(Graph g, List<String> path, String add) {
        for (String n : path) {
            for (Node c : g.consumers(n)) {
                if (!c.name().equals(add) && !path.contains(c.name())) {
                    return false;
                }
            }
        }
        return true;
    }

    public List<Residual> blocks() {
        return blocks;
    }

    /** The name of the one unit set of depth pruning (its histogram and mask). */
    public static final String SET_NAME = "blocks";

    @Override public String name() { return SET_NAME; }
    @Override public int size() { return blocks.size(); }
    @Override public Shape shape() { return new Shape(blocks.size()); }

    @Override
    public List<PrunableLayer> layers() {
        List<PrunableLayer> out = new ArrayList<>();
        for (Residual b : blocks) {
            b.branch().forEach(n -> net.findLayer(n).ifPresent(out::add));
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
        Graph g = net.graph();
        double[] c = new double[size()];
        for (int i = 0; i < c.length; i++) {
            List<String> branch = blocks.get(i).branch();
            c[i] = switch (budget) {
                case COUNT -> 1;
                case PARAMS -> branch.stream().mapToLong(n -> g.params(g.node(n))).sum();
                case FLOPS -> macs(g, branch);
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
     * Measures each block's branch (inference, at {@code batch}): median of {@code runs} timed passes after warm-up,
     * blocks taken in alternation so a change in load spreads over all of them. Kept as the latency costs.
     */
    public double[] measureLatency(NDManager manager, int batch, int runs) {
        double[][] ms = new double[size()][runs];
        try (NDManager m = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDArray[] inputs = new NDArray[size()];
            for (int i = 0; i < size(); i++) {
                int[] s = net.graph().shape(blocks.get(i).fork());
                long[] dims = new long[s.length + 1];
                dims[0] = batch;
                for (int d = 0; d < s.length; d++) {
                    dims[d + 1] = s[d];
                }
                inputs[i] = ai.djl.nn.Activation.relu(m.randomNormal(new Shape(dims)));
            }
            for (int r = -3; r < runs; r++) {
                for (int i = 0; i < size(); i++) {
                    try (NDManager step = m.newSubManager()) {
                        NDArray in = inputs[i].duplicate();
                        in.attach(step);
                        Residual b = blocks.get(i);
                        long t0 = System.nanoTime();
                        net.block().runNodes(ps, b.fork(), in, b.branch(), false).toFloatArray();
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
    /** Uses latencies measured before (a resumed run keeps the costs its transport problems were built with). */
    public void setLatencyMs(double[] ms) {
        if (ms.length != size()) {
            throw new IllegalArgumentException(ms.length + " block latencies for " + size() + " blocks");
        }
        latencyMs = ms.clone();
    }

    public double[] latencyMs() {
        return latencyMs == null ? null : latencyMs.clone();
    }

    /**
     * How strongly each branch writes into the residual stream: the RMS of its last node's scale (a BN's gamma, or a
     * conv's weights). A data-free starting score; DTP then learns the importance.
     */
    @Override
    public float[] magnitudes() {
        float[] out = new float[size()];
        for (int i = 0; i < size(); i++) {
            Block tail = net.block().blockOf(blocks.get(i).tail());
            String p = tail != null && tail.getDirectParameters().contains("gamma") ? "gamma" : "weight";
            out[i] = tail == null ? 1f : (float) rms(tail.getDirectParameters().get(p).getArray().toFloatArray());
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
            net.block().setGate(blocks.get(i).tail(), y -> y.mul(gate));
        }
    }

    @Override
    public void clearMask() {
        for (Residual b : blocks) {
            net.block().setGate(b.tail(), null);
        }
    }

    /**
     * Zeroes a removed block's last scale and shift (or weights and bias): its branch then outputs exactly 0, which
     * is what the compact model (without the block) computes.
     */
    @Override
    public void enforce(NDArray hardMask) {
        float[] keep = hardMask.toFloatArray();
        for (int i = 0; i < size(); i++) {
            if (keep[i] == 0f) {
                Block tail = net.block().blockOf(blocks.get(i).tail());
                if (tail == null) {
                    continue;
                }
                for (String p : new String[] {"gamma", "beta", "weight", "bias"}) {
                    if (tail.getDirectParameters().contains(p)) {
                        Parameter param = tail.getDirectParameters().get(p);
                        // written as data, not an NDArray op: no scalar from Java (engine trap 1), nothing allocated
                        param.getArray().set(new float[(int) param.getArray().size()]);
                    }
                }
            }
        }
    }

    /**
     * The network without the given blocks: their branches deleted, each Add replaced by an identity of its
     * shortcut; every other node keeps its parameters. Exact when the removed branches output 0.
     */
    public static Network removeBlocks(Network net, List<String> names, NDManager manager) {
        List<Residual> all = find(net.graph());
        java.util.Set<String> drop = new java.util.HashSet<>();
        Map<String, Node> replace = new HashMap<>();
        for (Residual b : all) {
            if (!names.contains(b.name())) {
                continue;
            }
            drop.addAll(b.branch());
            Node add = net.graph().node(b.add());
            String shortcut = add.inputs().get(0).equals(b.tail()) ? add.inputs().get(1) : add.inputs().get(0);
            replace.put(b.add(), new Node(b.add(), new Ops.Identity(), shortcut));
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : net.graph().nodes()) {
            if (!drop.contains(n.name())) {
                nodes.add(replace.getOrDefault(n.name(), n));
            }
        }
        Network out = new Network(net.graph().withNodes(nodes));
        out.initialize(manager);
        out.copyParametersFrom(net);
        return out;
    }
}
