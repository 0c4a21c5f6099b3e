package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/** Conv2d → optional BatchNorm → optional channel gate → optional ReLU, as one prunable layer. */
public final class ConvUnit extends AbstractBlock implements PrunableLayer, ReluSite {
    private static final byte VERSION = 1;

    private final String name;
    private final int in;
    private final int out;
    private final int k;
    private final int stride;
    private final int pad;
    private final boolean relu;
    private final Parameter weight;
    private final Parameter bias;
    private final BatchNorm bn;
    private int outputPositions = -1;
    private UnaryOperator<NDArray> weightMask;
    private UnaryOperator<NDArray> channelGate;
    private java.util.function.Consumer<NDArray> reluProbe;

    public ConvUnit(String name, int in, int out, int k, int stride, int pad, boolean batchNorm, boolean relu) {
        super(VERSION);
        this.name = name;
        this.in = in;
        this.out = out;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
        this.relu = relu;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in, k, k)).build());
        if (batchNorm) {
            bias = null;
            bn = addChildBlock("bn", BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build());
        } else {
            bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(out)).build());
            bn = null;
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        if (weightMask != null) {
            w = weightMask.apply(w);
        }
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        NDArray y = Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
                .singletonOrThrow();
        if (bn != null) {
            y = bn.forward(ps, new NDList(y), training).singletonOrThrow();
        }
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
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), out, outSide(s.get(2)), outSide(s.get(3)))};
    }

    private long outSide(long side) {
        return (side + 2L * pad - k) / stride + 1;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        if (s.get(1) != in) {
            throw new IllegalArgumentException(name + ": expects " + in + " input channels, got shape " + s);
        }
        outputPositions = (int) (outSide(s.get(2)) * outSide(s.get(3)));
        if (bn != null) {
            bn.initialize(manager, dataType, getOutputShapes(inputShapes));
        }
    }

    @Override public String name() { return name; }
    @Override public Kind kind() { return Kind.CONV; }
    @Override public int inChannels() { return in; }
    @Override public int outChannels() { return out; }
    @Override public int kernel() { return k; }
    @Override public boolean channelPrunable() { return true; }
    @Override public Parameter weight() { return weight; }
    @Override public Parameter bias() { return bias; }
    @Override public boolean hasBatchNorm() { return bn != null; }
    @Override public int outputPositions() { return outputPositions; }
    @Override public void setWeightMask(UnaryOperator<NDArray> mask) { this.weightMask = mask; }
    @Override public void setChannelGate(UnaryOperator<NDArray> gate) { this.channelGate = gate; }
    @Override public String reluName() { return name; }
    @Override public int reluChannels() { return out; }
    @Override public void setReluProbe(java.util.function.Consumer<NDArray> probe) { this.reluProbe = probe; }

    public int stride() { return stride; }
    public int padding() { return pad; }
    public boolean relu() { return relu; }

    /** The BatchNorm that follows the conv, or null. */
    public BatchNorm batchNorm() { return bn; }

    @Override
    public String toString() {
        return name + ": conv " + in + "->" + out + " " + k + "x" + k + "/" + stride + (bn != null ? " +bn" : "")
                + (relu ? " +relu" : "");
    }
}
