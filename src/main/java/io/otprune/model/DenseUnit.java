package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/** Fully connected layer (input flattened) → optional channel gate → optional ReLU, as one prunable layer. */
public final class DenseUnit extends AbstractBlock implements PrunableLayer, ReluSite {
    private static final byte VERSION = 1;

    private final String name;
    private final int in;
    private final int out;
    private final boolean relu;
    private final boolean classifier;
    private final Parameter weight;
    private final Parameter bias;
    private UnaryOperator<NDArray> weightMask;
    private UnaryOperator<NDArray> channelGate;
    private java.util.function.Consumer<NDArray> reluProbe;

    /**
     * @param classifier true for the output layer, whose neurons (the classes) are never pruned as channels
     */
    public DenseUnit(String name, int in, int out, boolean relu, boolean classifier) {
        super(VERSION);
        this.name = name;
        this.in = in;
        this.out = out;
        this.relu = relu;
        this.classifier = classifier;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() != 2) {
            x = x.reshape(x.getShape().get(0), -1);
        }
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        if (weightMask != null) {
            w = weightMask.apply(w);
        }
        NDArray y = Linear.linear(x, w, ps.getValue(bias, x.getDevice(), training)).singletonOrThrow();
        if (channelGate != null) {
            y = channelGate.apply(y);
        }
        if (relu && reluProbe != null) {
            reluProbe.accept(y);
        }
        return new NDList(relu ? Activation.relu(y) : y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), out)};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, ai.djl.ndarray.types.DataType dataType,
            Shape... inputShapes) {
        long features = inputShapes[0].size() / inputShapes[0].get(0);
        if (features != in) {
            throw new IllegalArgumentException(name + ": expects " + in + " input features, got shape " + inputShapes[0]);
        }
    }

    @Override public String name() { return name; }
    @Override public Kind kind() { return Kind.LINEAR; }
    @Override public int inChannels() { return in; }
    @Override public int outChannels() { return out; }
    @Override public int kernel() { return 1; }
    @Override public boolean channelPrunable() { return !classifier; }
    @Override public Parameter weight() { return weight; }
    @Override public Parameter bias() { return bias; }
    @Override public boolean hasBatchNorm() { return false; }
    @Override public int outputPositions() { return 1; }
    @Override public void setWeightMask(UnaryOperator<NDArray> mask) { this.weightMask = mask; }
    @Override public void setChannelGate(UnaryOperator<NDArray> gate) { this.channelGate = gate; }
    @Override public String reluName() { return name; }
    @Override public int reluChannels() { return out; }
    @Override public void setReluProbe(java.util.function.Consumer<NDArray> probe) { this.reluProbe = probe; }

    public boolean relu() { return relu; }

    @Override
    public String toString() {
        return name + ": linear " + in + "->" + out + (relu ? " +relu" : "");
    }
}
