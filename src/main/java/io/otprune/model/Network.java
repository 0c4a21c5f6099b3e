package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A built network: its graph, the DJL block that holds the parameters, and its conv/linear layers in order. */
public final class Network {
    private final Graph graph;
    private final GraphBlock block;
    private final List<PrunableLayer> layers;

    public Network(Graph graph) {
        this.graph = graph;
        this.block = new GraphBlock(graph);
        List<PrunableLayer> l = new ArrayList<>();
        for (Node n : graph.weightedNodes()) {
            l.add((PrunableLayer) block.blockOf(n.name()));
        }
        this.layers = List.copyOf(l);
    }

    public Graph graph() {
        return graph;
    }

    public GraphBlock block() {
        return block;
    }

    /** Conv and linear layers in forward order. */
    public List<PrunableLayer> layers() {
        return layers;
    }

    public PrunableLayer layer(String name) {
        return findLayer(name).orElseThrow(() -> new IllegalArgumentException("no layer named " + name));
    }

    /** The layer of that name, if this network has it (a compacted model may have lost it). */
    public Optional<PrunableLayer> findLayer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The parameters of a BatchNorm node by name (gamma, beta, runningMean, runningVar). */
    public Parameter batchNormParameter(String node, String parameter) {
        Block b = block.blockOf(node);
        if (!(b instanceof ai.djl.nn.norm.BatchNorm)) {
            throw new IllegalArgumentException(node + " is not a BatchNorm node");
        }
        return b.getDirectParameters().get(parameter);
    }

    /** Weighted (conv or linear) layers on the longest input-to-output path. */
    public int depth() {
        return graph.depth();
    }

    /** Input shape of a batch: (batch, C, H, W). */
    public Shape inputShape(long batch) {
        return new Shape(batch, graph.inChannels(), graph.height(), graph.width());
    }

    /** Creates the parameters (DJL's default initialisers) in {@code manager}. */
    public void initialize(NDManager manager) {
        block.initialize(manager, DataType.FLOAT32, inputShape(1));
    }

    /** Logits (B, classes) for images (B, C, H, W). */
    public NDArray forward(ParameterStore ps, NDArray images, boolean training) {
        return block.forward(ps, new NDList(images), training).singletonOrThrow();
    }

    /** All parameters, named by their path in the block tree, in save order. */
    public List<Pair<String, Parameter>> parameters() {
        List<Pair<String, Parameter>> out = new ArrayList<>();
        block.getParameters().forEach(p -> out.add(new Pair<>(p.getKey(), p.getValue())));
        return out;
    }

    /** Trainable parameters (weights, biases, BN gamma and beta; not BN running statistics). */
    public List<Parameter> trainableParameters() {
        List<Parameter> out = new ArrayList<>();
        block.getParameters().forEach(p -> {
            if (p.getValue().requiresGradient()) {
                out.add(p.getValue());
            }
        });
        return out;
    }

    /** Number of trainable parameter values (counted on the graph, like every count in the project). */
    public long paramCount() {
        return graph.params();
    }

    /** Multiply-adds per sample of all conv and linear layers. */
    public long macs() {
        return graph.macs();
    }

    /** Every ReLU node in forward order, as a site whose input can be watched. */
    public List<ReluSite> reluSites() {
        List<ReluSite> out = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Ops.Relu) {
                out.add(site(n));
            }
        }
        return out;
    }

    private ReluSite site(Node relu) {
        return new ReluSite(ReluSite.nameOf(relu.name()), graph.shape(relu.input())[0],
                p -> block.setProbe(relu.name(), p));
    }

    /**
     * The ReLU that follows a layer's output through BatchNorm, identities and a residual addition; null when
     * none does (the classifier) or the output branches.
     */
    public ReluSite reluAfter(PrunableLayer layer) {
        String at = layer.name();
        while (true) {
            List<Node> next = graph.consumers(at);
            if (next.size() != 1) {
                return null;
            }
            Node c = next.get(0);
            if (c.op() instanceof Ops.Relu) {
                return site(c);
            }
            if (!(c.op() instanceof Ops.BatchNorm || c.op() instanceof Ops.Identity || c.op() instanceof Ops.Add)) {
                return null;
            }
            at = c.name();
        }
    }

    /** Removes every weight mask, gate, channel scale and probe. */
    public void clearMasks() {
        for (PrunableLayer l : layers) {
            l.setWeightMask(null);
        }
        for (Node n : graph.nodes()) {
            block.setGate(n.name(), null);
            block.setChannelScale(n.name(), null);
            block.setProbe(n.name(), null);
        }
    }

    /** Copies every parameter (BN statistics included) of the nodes both networks have with equal shapes. */
    public void copyParametersFrom(Network src) {
        for (Node n : graph.nodes()) {
            Block d = block.blockOf(n.name());
            Block s = src.graph().has(n.name()) ? src.block().blockOf(n.name()) : null;
            if (d == null || s == null) {
                continue;
            }
            d.getDirectParameters().forEach(p -> {
                Parameter from = s.getDirectParameters().get(p.getKey());
                if (from != null && from.getArray().getShape().equals(p.getValue().getArray().getShape())) {
                    p.getValue().getArray().set(from.getArray().toFloatArray());
                }
            });
        }
    }
}
