package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * A built network: its spec, the DJL block that holds the parameters, its prunable layers in forward order, and
 * its residual blocks (empty for plain architectures).
 */
public final class Network {
    private final ArchSpec spec;
    private final SequentialBlock block;
    private final List<PrunableLayer> layers;
    private final List<ResidualBlock> residualBlocks;

    Network(ArchSpec spec, SequentialBlock block, List<PrunableLayer> layers, List<ResidualBlock> residualBlocks) {
        this.spec = spec;
        this.block = block;
        this.layers = List.copyOf(layers);
        this.residualBlocks = List.copyOf(residualBlocks);
    }

    public ArchSpec spec() {
        return spec;
    }

    public SequentialBlock block() {
        return block;
    }

    public List<PrunableLayer> layers() {
        return layers;
    }

    public List<ResidualBlock> residualBlocks() {
        return residualBlocks;
    }

    public PrunableLayer layer(String name) {
        return findLayer(name).orElseThrow(() -> new IllegalArgumentException("no layer named " + name));
    }

    /** The layer of that name, if this network has it (a compacted model may have lost it). */
    public java.util.Optional<PrunableLayer> findLayer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** Weighted (conv or linear) layers on the longest input-to-output path: the depth that sets the latency floor. */
    public int depth() {
        int d = 0;
        for (ai.djl.nn.Block b : block.getChildren().values()) {
            if (b instanceof ResidualBlock) {
                d += 2;
            } else if (b instanceof PrunableLayer) {
                d += 1;
            }
        }
        return d;
    }

    /** Input shape of one sample batch: (1, C, H, W). */
    public Shape inputShape(long batch) {
        return new Shape(batch, spec.inChannels(), spec.height(), spec.width());
    }

    /** Creates the parameters (He-normal weights, zero biases) in {@code manager}. */
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

    /** Number of trainable parameter values. */
    public long paramCount() {
        long n = 0;
        for (Parameter p : trainableParameters()) {
            n += p.getShape().size();
        }
        return n;
    }

    /** Multiply-adds per sample of all conv and linear layers (BN, ReLU, pooling and additions not counted). */
    public long macs() {
        long n = 0;
        for (PrunableLayer l : layers) {
            n += l.macs();
        }
        return n;
    }

    /** Every ReLU in forward order: layers' own ReLUs, and each residual block's conv1 ReLU then its output ReLU. */
    public List<ReluSite> reluSites() {
        List<ReluSite> out = new ArrayList<>();
        for (ai.djl.nn.Block b : block.getChildren().values()) {
            if (b instanceof ResidualBlock rb) {
                out.add(rb.conv1());
                out.add(rb);
            } else if (b instanceof ConvUnit c && c.relu()) {
                out.add(c);
            } else if (b instanceof DenseUnit d && d.relu()) {
                out.add(d);
            }
        }
        return out;
    }

    /**
     * The ReLU that follows a layer's output: its own, or (for a block's second conv and its projection) the block's
     * output ReLU; null for a layer no ReLU follows (the classifier).
     */
    public ReluSite reluAfter(PrunableLayer layer) {
        for (ai.djl.nn.Block b : block.getChildren().values()) {
            if (b instanceof ResidualBlock rb) {
                if (rb.conv1() == layer) {
                    return rb.conv1();
                }
                if (rb.conv2() == layer || rb.shortcut() == layer) {
                    return rb;
                }
            } else if (b == layer) {
                return layer instanceof ConvUnit c && c.relu() ? c : layer instanceof DenseUnit d && d.relu() ? d : null;
            }
        }
        return null;
    }

    /** Removes every mask and gate. */
    public void clearMasks() {
        for (PrunableLayer l : layers) {
            l.setWeightMask(null);
            l.setChannelGate(null);
        }
    }
}
