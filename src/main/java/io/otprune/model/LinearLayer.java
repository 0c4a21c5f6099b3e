package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/** The parameters and forward pass of a {@link Ops.Linear} node: weight (out, in), optional bias. */
public final class LinearLayer extends AbstractBlock implements PrunableLayer {
    private static final byte VERSION = 1;

    private final String name;
    private final Ops.Linear op;
    private final Parameter weight;
    private final Parameter bias;
    private UnaryOperator<NDArray> weightMask;

    public LinearLayer(String name, Ops.Linear op) {
        super(VERSION);
        this.name = name;
        this.op = op;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(op.out(), op.in())).build());
        bias = op.bias() ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(op.out())).build()) : null;
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        if (weightMask != null) {
            w = weightMask.apply(w);
        }
        return Linear.linear(x, w, bias == null ? null : ps.getValue(bias, x.getDevice(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), op.out())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long features = inputShapes[0].size() / inputShapes[0].get(0);
        if (features != op.in()) {
            throw new IllegalArgumentException(name + ": expects " + op.in() + " input features, got " + inputShapes[0]);
        }
    }

    public Ops.Linear op() { return op; }
    @Override public String name() { return name; }
    @Override public Kind kind() { return Kind.LINEAR; }
    @Override public int inChannels() { return op.in(); }
    @Override public int outChannels() { return op.out(); }
    @Override public int kernelSize() { return 1; }
    @Override public Parameter weight() { return weight; }
    @Override public Parameter bias() { return bias; }
    @Override public int outputPositions() { return 1; }
    @Override public void setWeightMask(UnaryOperator<NDArray> mask) { this.weightMask = mask; }

    @Override
    public String toString() {
        return name + ": linear " + op.in() + "->" + op.out();
    }
}
