package io.otprune.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as a directed acyclic graph: the input shape (C, H, W), named nodes in topological order, and the node
 * whose output is the logits. This is what model.json stores and what every part of the project reads: shapes are
 * inferred here once, and parameter and multiply-add counts are computed here only ({@link #params}, {@link #macs}),
 * for the window's preview, the run's accounting and the summaries alike.
 */
public final class Graph {
    /** Name by which nodes refer to the network's input. */
    public static final String INPUT = "input";

    private final int[] input;
    private final List<Node> nodes;
    private final String output;
    private transient Map<String, int[]> shapes;
    private transient Map<String, Node> byName;
    private transient Map<String, List<Node>> consumers;

    public Graph(int[] input, List<Node> nodes, String output) {
        this.input = input.clone();
        this.nodes = List.copyOf(nodes);
        this.output = output;
        validate();
    }

    /** Checks names, order and shapes; throws IllegalArgumentException naming the first node that is wrong. */
    public Graph validate() {
        if (input == null || input.length != 3 || Arrays.stream(input).anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException("the input shape must be C×H×W, got " + Arrays.toString(input));
        }
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("a graph needs at least one node");
        }
        shapes();
        if (!shapes.containsKey(output) || output.equals(INPUT)) {
            throw new IllegalArgumentException("output node '" + output + "' is not in the graph");
        }
        if (shapes.get(output).length != 1) {
            throw new IllegalArgumentException("output node '" + output + "' gives " + Arrays.toString(
                    shapes.get(output)) + ", not a vector of class scores (flatten first)");
        }
        return this;
    }

    public int[] input() {
        return input.clone();
    }

    public int inChannels() {
        return input[0];
    }

    public int height() {
        return input[1];
    }

    public int width() {
        return input[2];
    }

    public List<Node> nodes() {
        return nodes;
    }

    public String output() {
        return output;
    }

    /** Number of classes: the length of the output vector. */
    public int classes() {
        return shapes().get(output)[0];
    }

    public Node node(String name) {
        index();
        Node n = byName.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node named " + name);
        }
        return n;
    }

    public boolean has(String name) {
        index();
        return byName.containsKey(name);
    }

    /** Nodes that read {@code name}'s output, in order (a node reading it twice is listed once). */
    public List<Node> consumers(String name) {
        index();
        return consumers.getOrDefault(name, List.of());
    }

    private void index() {
        if (byName != null) {
            return;
        }
        Map<String, Node> b = new HashMap<>();
        Map<String, List<Node>> c = new HashMap<>();
        for (Node n : nodes) {
            b.put(n.name(), n);
            for (String i : n.inputs().stream().distinct().toList()) {
                c.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
            }
        }
        byName = b;
        consumers = c;
    }

    /** Per-sample output shape of every node (and of {@link #INPUT}), inferred in order. */
    public Map<String, int[]> shapes() {
        if (shapes != null) {
            return shapes;
        }
        Map<String, int[]> s = new LinkedHashMap<>();
        s.put(INPUT, input.clone());
        for (Node n : nodes) {
            if (n.name().equals(INPUT) || s.containsKey(n.name())) {
                throw new IllegalArgumentException("node name '" + n.name() + "' is used twice");
            }
            List<int[]> in = new ArrayList<>();
            for (String i : n.inputs()) {
                int[] shape = s.get(i);
                if (shape == null) {
                    throw new IllegalArgumentException("node " + n.name() + " reads '" + i
                            + "', which no earlier node defines (nodes must be in topological order)");
                }
                in.add(shape);
            }
            try {
                s.put(n.name(), n.op().outShape(in));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("node " + n.name() + " (" + n.op().type() + "): " + e.getMessage(), e);
            }
        }
        shapes = s;
        return s;
    }

    public int[] shape(String name) {
        int[] s = shapes().get(name);
        if (s == null) {
            throw new IllegalArgumentException("no node named " + name);
        }
        return s;
    }

    /** Input shapes of a node. */
    public List<int[]> inShapes(Node n) {
        return n.inputs().stream().map(this::shape).toList();
    }

    /** Trainable parameter values of one node. */
    public long params(Node n) {
        return n.op().params(inShapes(n), shape(n.name()));
    }

    /** Multiply-adds per sample of one node. */
    public long macs(Node n) {
        return n.op().macs(inShapes(n), shape(n.name()));
    }

    /** Trainable parameter values of the network (weights, biases, BN scales and shifts). */
    public long params() {
        long p = 0;
        for (Node n : nodes) {
            p += params(n);
        }
        return p;
    }

    /** Multiply-adds per sample of all conv and linear products. */
    public long macs() {
        long m = 0;
        for (Node n : nodes) {
            m += macs(n);
        }
        return m;
    }

    /** Conv and linear nodes, in order: the layers whose weights can be pruned. */
    public List<Node> weightedNodes() {
        return nodes.stream().filter(n -> n.op() instanceof Ops.Conv || n.op() instanceof Ops.Linear).toList();
    }

    /** Weighted layers on the longest input-to-output path: the depth that sets the latency floor. */
    public int depth() {
        Map<String, Integer> d = new HashMap<>();
        d.put(INPUT, 0);
        for (Node n : nodes) {
            int in = n.inputs().stream().mapToInt(i -> d.getOrDefault(i, 0)).max().orElse(0);
            boolean weighted = n.op() instanceof Ops.Conv || n.op() instanceof Ops.Linear;
            d.put(n.name(), in + (weighted ? 1 : 0));
        }
        return d.get(output);
    }

    /** The same graph with other nodes (shapes re-inferred and checked). */
    public Graph withNodes(List<Node> newNodes) {
        return new Graph(input, newNodes, output);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("graph " + Arrays.toString(input) + "\n");
        for (Node n : nodes) {
            sb.append("  ").append(n.name()).append(" = ").append(n.op()).append(n.inputs()).append(" -> ")
                    .append(Arrays.toString(shape(n.name()))).append('\n');
        }
        return sb.toString();
    }
}
