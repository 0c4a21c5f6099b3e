package io.otprune.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Graph} node by node, inferring each node's shape as it goes so that a layer's input width never
 * has to be spelled out. Each method adds one node and returns its name, to be passed on as the next input.
 */
public final class GraphBuilder {
    private final int[] input;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, int[]> shapes = new HashMap<>();

    public GraphBuilder(int channels, int height, int width) {
        input = new int[] {channels, height, width};
        shapes.put(Graph.INPUT, input);
    }

    /** Adds a node with any op. */
    public String add(String name, Op op, String... inputs) {
        if (shapes.containsKey(name)) {
            throw new IllegalArgumentException("node name '" + name + "' is used twice");
        }
        List<int[]> in = new ArrayList<>();
        for (String i : inputs) {
            int[] s = shapes.get(i);
            if (s == null) {
                throw new IllegalArgumentException("node " + name + " reads unknown node '" + i + "'");
            }
            in.add(s);
        }
        try {
            shapes.put(name, op.outShape(in));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node " + name + " (" + op.type() + "): " + e.getMessage(), e);
        }
        nodes.add(new Node(name, op, inputs));
        return name;
    }

    public int[] shape(String node) {
        return shapes.get(node).clone();
    }

    public int channels(String node) {
        return shapes.get(node)[0];
    }

    public String conv(String name, String in, int out, int k, int stride, int pad, boolean bias) {
        return add(name, Ops.Conv.of(channels(in), out, k, stride, pad, bias), in);
    }

    /** A depthwise k×k conv (one filter per channel), no bias. */
    public String depthwise(String name, String in, int k, int stride, int pad) {
        int c = channels(in);
        return add(name, new Ops.Conv(c, c, new int[] {k, k}, new int[] {stride, stride}, new int[] {pad, pad},
                new int[] {1, 1}, c, false), in);
    }

    public String linear(String name, String in, int out, boolean bias) {
        return add(name, new Ops.Linear(out, shapes.get(in)[0], bias), in);
    }

    public String bn(String name, String in) {
        return add(name, new Ops.BatchNorm(channels(in), 1e-5f), in);
    }

    public String relu(String name, String in) {
        return add(name, new Ops.Relu(), in);
    }

    public String maxPool(String name, String in, int k, int stride) {
        return add(name, Ops.MaxPool.of(k, stride), in);
    }

    public String globalAvgPool(String name, String in) {
        return add(name, new Ops.GlobalAvgPool(), in);
    }

    public String flatten(String name, String in) {
        return add(name, new Ops.Flatten(), in);
    }

    /** conv (no bias) → BN [→ ReLU]; returns the last node. */
    public String convBn(String name, String in, int out, int k, int stride, int pad, boolean relu) {
        String x = bn(name + ".bn", conv(name, in, out, k, stride, pad, false));
        return relu ? relu(name + ".relu", x) : x;
    }

    public Graph build(String output) {
        return new Graph(input, nodes, output);
    }
}
