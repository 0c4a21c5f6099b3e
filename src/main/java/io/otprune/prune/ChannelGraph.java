package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.otprune.model.Graph;
import io.otprune.model.Network;
import io.otprune.model.Node;
import io.otprune.model.Op;
import io.otprune.model.PrunableLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channel spaces of a network, traced from its graph: a space is a set of channels that must be pruned together
 * (the dependency-graph idea). Every node output is a list of segments, each a run of one space's channels:
 * conv/linear outputs start a space; BN, activations, pooling and a depthwise conv pass their input's segments on;
 * Add and Mul tie their inputs' spaces into one (union-find); Concat lists its inputs' segments one after the other;
 * Flatten turns each channel into a slab of H·W features. A space is prunable unless it reaches the network's input
 * or output, or a grouped convolution (whose groups must stay equal).
 *
 * <p>Channel masks are gates on node outputs: on every producer (unless a BatchNorm alone reads it: a gate in front
 * of BN is undone by its normalisation, so the BN output is gated instead) and on every node of the space that does
 * not map 0 to 0 (BN's shift, a bias, σ(0) = ½). A pruned channel is then exactly 0 wherever it is read, which is
 * what the compact model, without the channel, computes. Parameter and multiply-add counts of the network with some
 * channels removed are the graph's own counts of the resized ops ({@link #countWith}): one rule for every count.
 */
public final class ChannelGraph {

    /** A conv or linear node reading a space: the space's channels start at input feature {@code offset}. */
    public record Consumer(PrunableLayer layer, int offset, int featuresPerChannel) {}

    /** A run of one space's channels in a node's output, each channel {@code featuresPerChannel} values wide. */
    record Segment(int space, int featuresPerChannel) {}

    /** Channels pruned together. */
    public static final class Space {
        private final int id;
        private final int size;
        private boolean prunable = true;
        private final List<PrunableLayer> producers = new ArrayList<>();
        private final List<Consumer> consumers = new ArrayList<>();
        private final List<String> members = new ArrayList<>();

        Space(int id, int size) {
            this.id = id;
            this.size = size;
        }

        public int size() { return size; }

        /** The conv/linear layers whose output channels these are (several when additions tie them). */
        public List<PrunableLayer> producers() { return producers; }

        /** The conv/linear layers that read these channels. */
        public List<Consumer> consumers() { return consumers; }

        /** Every node whose output holds these channels (producers, BN, activations, depthwise convs, …). */
        public List<String> members() { return members; }

        public boolean prunable() { return prunable; }

        public String name() {
            if (producers.isEmpty()) {
                return id == 0 ? "input" : "space " + id;
            }
            String first = producers.get(0).name();
            return producers.size() == 1 ? first : first + " (+" + (producers.size() - 1) + " coupled)";
        }

        @Override
        public String toString() {
            return name() + " [" + size + (prunable ? "" : ", fixed") + "]";
        }
    }

    private final Network net;
    private final Graph graph;
    private final List<Space> spaces;
    private final Map<String, List<Segment>> segments;
    private final Map<String, List<String>> gateNodes = new LinkedHashMap<>();
    private final Map<Space, NDArray> masks = new IdentityHashMap<>();
    private final Map<Space, List<Node>> touching = new IdentityHashMap<>();
    private List<Node> costly;

    private ChannelGraph(Network net, List<Space> spaces, Map<String, List<Segment>> segments) {
        this.net = net;
        this.graph = net.graph();
        this.spaces = spaces;
        this.segments = segments;
    }

    public Graph graph() {
        return graph;
    }

    /** All spaces, the input's first. */
    public List<Space> spaces() {
        return spaces;
    }

    /** The spaces whose channels may be pruned, in the order of their first producer. */
    public List<Space> prunableSpaces() {
        return spaces.stream().filter(Space::prunable).toList();
    }

    /** The space of a layer's output channels. */
    public Space outputOf(PrunableLayer layer) {
        return spaceOf(layer.name());
    }

    /** The space of a node's output when it is one space (else null: a concat of several). */
    public Space spaceOf(String node) {
        List<Segment> s = segments.get(node);
        return s.size() == 1 ? spaces.get(s.get(0).space()) : null;
    }

    public static ChannelGraph trace(Network net) {
        Graph g = net.graph();
        UnionFind uf = new UnionFind();
        List<Integer> sizes = new ArrayList<>();
        java.util.Set<Integer> fixed = new java.util.HashSet<>();
        Map<String, List<Segment>> seg = new HashMap<>();
        sizes.add(g.inChannels());
        uf.add();
        fixed.add(0);
        seg.put(Graph.INPUT, List.of(new Segment(0, 1)));
        for (Node n : g.nodes()) {
            List<Segment> in = seg.get(n.input());
            List<Segment> out;
            switch (n.op().channelFlow()) {
                case PRODUCE, FIXED -> {
                    sizes.add(g.shape(n.name())[0]);
                    int id = uf.add();
                    out = List.of(new Segment(id, 1));
                    if (n.op().channelFlow() == Op.ChannelFlow.FIXED) {
                        fixed.add(id);
                        in.forEach(s -> fixed.add(s.space()));
                    }
                }
                case PASS, PER_CHANNEL -> out = in;
                case CONCAT -> {
                    out = new ArrayList<>();
                    for (String i : n.inputs()) {
                        out.addAll(seg.get(i));
                    }
                }
                case FLATTEN -> {
                    int[] s = g.shape(n.input());
                    int positions = s.length == 3 ? s[1] * s[2] : 1;
                    out = in.stream().map(x -> new Segment(x.space(), x.featuresPerChannel() * positions)).toList();
                }
                case JOIN -> {
                    out = in;
                    for (String i : n.inputs().subList(1, n.inputs().size())) {
                        List<Segment> other = seg.get(i);
                        if (!join(uf, sizes, in, other)) {
                            in.forEach(x -> fixed.add(x.space()));
                            other.forEach(x -> fixed.add(x.space()));
                        }
                    }
                }
                default -> throw new IllegalStateException("op " + n.op().type());
            }
            seg.put(n.name(), out);
        }
        seg.get(g.output()).forEach(s -> fixed.add(s.space()));

        // one Space per union-find root, in the order of first appearance
        Map<Integer, Space> byRoot = new LinkedHashMap<>();
        List<Space> spaces = new ArrayList<>();
        for (int id = 0; id < sizes.size(); id++) {
            int root = uf.find(id);
            if (!byRoot.containsKey(root)) {
                Space s = new Space(spaces.size(), sizes.get(root));
                byRoot.put(root, s);
                spaces.add(s);
            }
        }
        for (int id : fixed) {
            byRoot.get(uf.find(id)).prunable = false;
        }
        Map<String, List<Segment>> canonical = new HashMap<>();
        seg.forEach((k, v) -> canonical.put(k, v.stream()
                .map(s -> new Segment(byRoot.get(uf.find(s.space())).id, s.featuresPerChannel())).toList()));
        ChannelGraph cg = new ChannelGraph(net, spaces, canonical);
        cg.link();
        return cg;
    }

    /** Ties two inputs of an Add/Mul; false when their channel runs do not line up (then nothing is pruned there). */
    private static boolean join(UnionFind uf, List<Integer> sizes, List<Segment> a, List<Segment> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            int sa = sizes.get(uf.find(a.get(i).space())), sb = sizes.get(uf.find(b.get(i).space()));
            if (sa != sb || a.get(i).featuresPerChannel() != b.get(i).featuresPerChannel()) {
                return false;
            }
        }
        for (int i = 0; i < a.size(); i++) {
            uf.union(a.get(i).space(), b.get(i).space());
        }
        return true;
    }

    /** Producers, consumers, members and gate points of every space. */
    private void link() {
        for (Node n : graph.nodes()) {
            List<Segment> out = segments.get(n.name());
            if (out.size() == 1) {
                spaces.get(out.get(0).space()).members.add(n.name());
            }
            if (n.op().channelFlow() == Op.ChannelFlow.PRODUCE || n.op().channelFlow() == Op.ChannelFlow.FIXED) {
                PrunableLayer layer = net.findLayer(n.name()).orElseThrow();
                spaces.get(out.get(0).space()).producers.add(layer);
                int offset = 0;
                for (Segment s : segments.get(n.input())) {
                    Space space = spaces.get(s.space());
                    space.consumers.add(new Consumer(layer, offset, s.featuresPerChannel()));
                    offset += space.size() * s.featuresPerChannel();
                }
            }
            boolean producer = n.op().channelFlow() == Op.ChannelFlow.PRODUCE;
            List<Node> readers = graph.consumers(n.name());
            boolean onlyBn = readers.size() == 1 && readers.get(0).op() instanceof io.otprune.model.Ops.BatchNorm;
            if ((producer || !n.op().preservesZero()) && !onlyBn && out.stream().anyMatch(
                    s -> spaces.get(s.space()).prunable())) {
                gateNodes.put(n.name(), List.of());
            }
        }
    }

    // ---- masks -------------------------------------------------------------------------------------------------

    /**
     * Sets (or, with null, removes) the mask of a space's channels, shape (size); it is applied by the gates of every
     * node that holds the space, which {@link #installGates} put in place.
     */
    void setMask(Space space, NDArray mask) {
        if (mask == null) {
            masks.remove(space);
        } else {
            masks.put(space, mask);
        }
    }

    /**
     * Puts a channel scale on every gate node: each multiplies the node's output channels by its spaces' current
     * masks (at a BN output the BN's affine terms take it, {@link io.otprune.model.Op#forwardScaled}).
     */
    void installGates() {
        for (String node : gateNodes.keySet()) {
            List<Segment> segs = segments.get(node);
            net.block().setChannelScale(node, pass -> scale(segs, pass));
        }
    }

    /**
     * The current masks of a node's output channels, one value per channel or feature, or null where none is set.
     * What this makes belongs to {@code pass}, the forward pass's manager: hard masks live in the run's manager, and
     * arrays made from them each step would otherwise stay there until the run ends (engine trap 2).
     */
    private NDArray scale(List<Segment> segs, NDManager pass) {
        if (segs.size() == 1) {
            NDArray m = masks.get(spaces.get(segs.get(0).space()));
            return m == null || segs.get(0).featuresPerChannel() == 1 ? m
                    : owned(m.repeat(segs.get(0).featuresPerChannel()), pass);
        }
        if (segs.stream().noneMatch(s -> masks.get(spaces.get(s.space())) != null)) {
            return null;
        }
        NDList parts = new NDList();
        for (Segment s : segs) {
            Space space = spaces.get(s.space());
            NDArray part = masks.get(space);
            if (part == null) {
                part = pass.ones(new Shape(space.size()));
            }
            parts.add(s.featuresPerChannel() > 1 ? owned(part.repeat(s.featuresPerChannel()), pass) : part);
        }
        return owned(NDArrays.concat(parts, 0), pass);
    }

    private static NDArray owned(NDArray a, NDManager pass) {
        a.attach(pass);
        return a;
    }

    // ---- counting and compaction -------------------------------------------------------------------------------

    /** A node's output channels (or features) with {@code kept[space]} channels of each space (absent: all). */
    int width(String node, Map<Space, Integer> kept) {
        int w = 0;
        for (Segment s : segments.get(node)) {
            Space space = spaces.get(s.space());
            w += kept.getOrDefault(space, space.size()) * s.featuresPerChannel();
        }
        return w;
    }

    /** The graph's ops with the given channel counts, in node order (the compact model's ops). */
    List<Op> resizedOps(Map<Space, Integer> kept) {
        List<Op> out = new ArrayList<>(graph.nodes().size());
        for (Node n : graph.nodes()) {
            out.add(n.op().resized(resizedShapes(n, kept), width(n.name(), kept)));
        }
        return out;
    }

    private List<int[]> resizedShapes(Node n, Map<Space, Integer> kept) {
        List<int[]> in = new ArrayList<>(n.inputs().size());
        for (String i : n.inputs()) {
            int[] s = graph.shape(i).clone();
            s[0] = width(i, kept);
            in.add(s);
        }
        return in;
    }

    /**
     * Exact parameter and multiply-add counts of the network with {@code kept[s]} channels in each space (spaces
     * not in the map keep all): what the compact model will have.
     */
    public long[] countWith(Map<Space, Integer> kept) {
        return countNodes(costly(), kept);
    }

    /** Parameters and multiply-adds of some nodes with the given channels kept. */
    long[] countNodes(List<Node> nodes, Map<Space, Integer> kept) {
        long params = 0, macs = 0;
        for (Node n : nodes) {
            long[] c = count(n, kept);
            params += c[0];
            macs += c[1];
        }
        return new long[] {params, macs};
    }

    /** The nodes with parameters or multiply-adds (the rest count 0 whatever is kept). */
    private List<Node> costly() {
        if (costly == null) {
            costly = graph.nodes().stream().filter(n -> graph.params(n) > 0 || graph.macs(n) > 0).toList();
        }
        return costly;
    }

    /** The costly nodes whose inputs or output hold the space's channels: all that changes with its width. */
    List<Node> nodesTouching(Space space) {
        return touching.computeIfAbsent(space, s -> costly().stream().filter(n -> holds(n.name(), s)
                || n.inputs().stream().anyMatch(i -> holds(i, s))).toList());
    }

    private boolean holds(String node, Space s) {
        return segments.get(node).stream().anyMatch(seg -> seg.space() == s.id);
    }

    /** Parameters and multiply-adds of one node with the given channels kept. */
    public long[] count(Node n, Map<Space, Integer> kept) {
        List<int[]> in = resizedShapes(n, kept);
        int[] out = graph.shape(n.name()).clone();
        out[0] = width(n.name(), kept);
        Op op = n.op().resized(in, out[0]);
        return new long[] {op.params(in, out), op.macs(in, out)};
    }

    /** Parameters and multiply-adds of a layer's node with the given channels kept. */
    public long[] count(PrunableLayer l, Map<Space, Integer> kept) {
        return count(graph.node(l.name()), kept);
    }

    /** What removing one channel of the space saves at full width: {params, multiply-adds}. */
    long[] unitCost(Space space) {
        long[] full = countWith(Map.of());
        long[] less = countWith(Map.of(space, space.size() - 1));
        return new long[] {full[0] - less[0], full[1] - less[1]};
    }

    /** The kept indices of a node's output channels (features after a flatten), from kept channels per space. */
    int[] keptIndices(String node, Map<Space, int[]> kept) {
        List<Integer> idx = new ArrayList<>();
        int offset = 0;
        for (Segment s : segments.get(node)) {
            Space space = spaces.get(s.space());
            int[] k = kept.get(space);
            int f = s.featuresPerChannel();
            if (k == null) {
                for (int i = 0; i < space.size() * f; i++) {
                    idx.add(offset + i);
                }
            } else {
                for (int c : k) {
                    for (int i = 0; i < f; i++) {
                        idx.add(offset + c * f + i);
                    }
                }
            }
            offset += space.size() * f;
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Union-find over space ids. */
    private static final class UnionFind {
        private final List<Integer> parent = new ArrayList<>();

        int add() {
            parent.add(parent.size());
            return parent.size() - 1;
        }

        int find(int x) {
            while (parent.get(x) != x) {
                parent.set(x, parent.get(parent.get(x)));
                x = parent.get(x);
            }
            return x;
        }

        void union(int a, int b) {
            int ra = find(a), rb = find(b);
            if (ra != rb) {
                parent.set(Math.max(ra, rb), Math.min(ra, rb));
            }
        }
    }
}
