package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one DJL block that runs any {@link Graph}: a child block per node with parameters (named after the node), the
 * nodes evaluated in topological order, each output dropped after its last reader ran. Pruning attaches to nodes:
 * a gate transforms a node's output (block gates), a channel scale multiplies its output channels (channel masks;
 * the op computes it, {@link Op#forwardScaled}), a probe watches a node's input (activation statistics); weight masks
 * sit on the {@link PrunableLayer} blocks themselves.
 */
public final class GraphBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Graph graph;
    private final Block[] blocks;
    private final int[][] inputIndex;
    private final int[] lastUse;
    private final int outputIndex;
    private final UnaryOperator<NDArray>[] gates;
    private final Function<NDManager, NDArray>[] scales;
    private final Consumer<NDArray>[] probes;
    private final Map<String, Integer> index = new HashMap<>();

    @SuppressWarnings("unchecked")
    public GraphBlock(Graph graph) {
        super(VERSION);
        this.graph = graph;
        List<Node> nodes = graph.nodes();
        int n = nodes.size();
        blocks = new Block[n];
        inputIndex = new int[n][];
        lastUse = new int[n + 1];
        gates = new UnaryOperator[n];
        scales = new Function[n];
        probes = new Consumer[n];
        index.put(Graph.INPUT, n); // the input's slot is the last one
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            Block b = node.op().newBlock(node.name());
            if (b != null) {
                blocks[i] = addChildBlock(node.name(), b);
            }
            inputIndex[i] = node.inputs().stream().mapToInt(index::get).toArray();
            for (int j : inputIndex[i]) {
                lastUse[j] = i;
            }
            index.put(node.name(), i);
        }
        outputIndex = index.get(graph.output());
        lastUse[outputIndex] = n;
    }

    public Graph graph() {
        return graph;
    }

    /** The block of a node with parameters (a {@link PrunableLayer} or a BatchNorm), or null. */
    public Block blockOf(String node) {
        Integer i = index.get(node);
        return i == null || i == graph.nodes().size() ? null : blocks[i];
    }

    /** Sets the transform of a node's output (null: none). */
    public void setGate(String node, UnaryOperator<NDArray> gate) {
        gates[slot(node)] = gate;
    }

    /**
     * Sets (null: removes) the channel scale of a node's output: a vector of its output channels, made at each
     * forward pass from that pass's manager (the manager of the node's input; a null vector then means none), which
     * the node's op applies ({@link Op#forwardScaled}).
     */
    public void setChannelScale(String node, Function<NDManager, NDArray> scale) {
        scales[slot(node)] = scale;
    }

    /** Sets a probe that receives a node's first input on every forward pass (null: none). */
    public void setProbe(String node, Consumer<NDArray> probe) {
        probes[slot(node)] = probe;
    }

    private int slot(String node) {
        Integer i = index.get(node);
        if (i == null || i == graph.nodes().size()) {
            throw new IllegalArgumentException("no node named " + node);
        }
        return i;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        List<Node> nodes = graph.nodes();
        NDArray[] values = new NDArray[nodes.size() + 1];
        values[nodes.size()] = inputs.singletonOrThrow();
        List<NDArray> in = new ArrayList<>(2);
        for (int i = 0; i < nodes.size(); i++) {
            in.clear();
            for (int j : inputIndex[i]) {
                in.add(values[j]);
            }
            if (probes[i] != null) {
                probes[i].accept(in.get(0));
            }
            NDArray scale = scales[i] == null ? null : scales[i].apply(in.get(0).getManager());
            NDArray y = scale == null ? nodes.get(i).op().forward(blocks[i], ps, in, training)
                    : nodes.get(i).op().forwardScaled(blocks[i], ps, in, training, scale);
            values[i] = gates[i] == null ? y : gates[i].apply(y);
            for (int j : inputIndex[i]) {
                if (lastUse[j] == i) {
                    values[j] = null; // no longer needed: let it go with the step's manager
                }
            }
        }
        return new NDList(values[outputIndex]);
    }

    /**
     * Runs some nodes alone (in graph order), {@code from}'s output being {@code x}; returns the last one's output.
     * What the depth units time a residual branch with.
     */
    public NDArray runNodes(ParameterStore ps, String from, NDArray x, List<String> run, boolean training) {
        Map<String, NDArray> values = new HashMap<>();
        values.put(from, x);
        NDArray y = x;
        for (String name : run) {
            Node node = graph.node(name);
            List<NDArray> in = node.inputs().stream().map(values::get).toList();
            y = node.op().forward(blocks[index.get(name)], ps, in, training);
            values.put(name, y);
        }
        return y;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), graph.classes())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            if (blocks[i] != null) {
                int[] s = graph.shape(nodes.get(i).input());
                long[] dims = new long[s.length + 1];
                dims[0] = batch;
                for (int d = 0; d < s.length; d++) {
                    dims[d + 1] = s[d];
                }
                blocks[i].initialize(manager, dataType, new Shape(dims));
            }
        }
    }
}
