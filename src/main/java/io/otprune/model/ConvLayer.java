package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/** The parameters and forward pass of a {@link Ops.Conv} node: weight (out, in/groups, kh, kw), optional bias. */
public final class ConvLayer extends AbstractBlock implements PrunableLayer {
    private static final byte VERSION = 1;

    private final String name;
    private final Ops.Conv op;
    private final Parameter weight;
    private final Parameter bias;
    private int outputPositions = -1;
    private UnaryOperator<NDArray> weightMask;
    /** The kernel crop for the last input size seen (sizes rarely change, so one is kept). */
    private volatile CropFor crop;

    private record CropFor(long h, long w, KernelCrop crop) {}

    public ConvLayer(String name, Ops.Conv op) {
        super(VERSION);
        this.name = name;
        this.op = op;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(op.out(), op.in() / op.groups(), op.kernel()[0], op.kernel()[1])).build());
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
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        KernelCrop c = cropFor(x.getShape());
        NDArray kernel = c == null ? w : c.kernel(w);
        Shape stride = new Shape(op.stride()[0], op.stride()[1]);
        Shape pad = c == null ? new Shape(op.pad()[0], op.pad()[1]) : c.padding();
        Shape dilation = new Shape(op.dilation()[0], op.dilation()[1]);
        return new NDList(ConvolutionGuard.conv2d(x, kernel, b, stride, pad, dilation, op.groups()));
    }

    private KernelCrop cropFor(Shape in) {
        CropFor c = crop;
        if (c == null || c.h() != in.get(2) || c.w() != in.get(3)) {
            c = new CropFor(in.get(2), in.get(3), KernelCrop.of(op, (int) in.get(2), (int) in.get(3)));
            crop = c;
        }
        return c.crop();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        int[] o = op.outShape(java.util.List.of(new int[] {(int) s.get(1), (int) s.get(2), (int) s.get(3)}));
        return new Shape[] {new Shape(s.get(0), o[0], o[1], o[2])};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape o = getOutputShapes(inputShapes)[0];
        outputPositions = (int) (o.get(2) * o.get(3));
    }

    public Ops.Conv op() { return op; }
    @Override public String name() { return name; }
    @Override public Kind kind() { return Kind.CONV; }
    @Override public int inChannels() { return op.in(); }
    @Override public int outChannels() { return op.out(); }
    @Override public int kernelSize() { return op.kernel()[0] * op.kernel()[1]; }
    @Override public int inPerOutput() { return op.in() / op.groups(); }
    @Override public Parameter weight() { return weight; }
    @Override public Parameter bias() { return bias; }
    @Override public int outputPositions() { return outputPositions; }
    @Override public void setWeightMask(UnaryOperator<NDArray> mask) { this.weightMask = mask; }

    @Override
    public String toString() {
        return name + ": conv " + op.in() + "->" + op.out() + " " + op.kernel()[0] + "x" + op.kernel()[1] + "/"
                + op.stride()[0] + (op.groups() > 1 ? " groups " + op.groups() : "");
    }
}
