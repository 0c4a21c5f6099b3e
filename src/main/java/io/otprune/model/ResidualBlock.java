package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/**
 * The basic residual block of ResNet-20: relu(bn(conv3x3(relu(bn(conv3x3(x))))) + shortcut(x)), the shortcut
 * being the identity or, when the width or resolution changes, a 1x1 strided conv with BN (a projection).
 */
public final class ResidualBlock extends AbstractBlock implements ReluSite {
    private static final byte VERSION = 1;

    private final String name;
    private final ConvUnit conv1;
    private final ConvUnit conv2;
    private final ConvUnit shortcut;
    private UnaryOperator<NDArray> branchGate;
    private java.util.function.Consumer<NDArray> reluProbe;
    private Shape inputShape;

    public ResidualBlock(String name, int in, int inner, int out, int stride) {
        super(VERSION);
        this.name = name;
        conv1 = addChildBlock("conv1", new ConvUnit(name + ".conv1", in, inner, 3, stride, 1, true, true));
        conv2 = addChildBlock("conv2", new ConvUnit(name + ".conv2", inner, out, 3, 1, 1, true, false));
        shortcut = stride != 1 || in != out
                ? addChildBlock("shortcut", new ConvUnit(name + ".shortcut", in, out, 1, stride, 0, true, false))
                : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = branch(ps, inputs, training);
        if (branchGate != null) {
            y = branchGate.apply(y);
        }
        NDArray s = shortcut == null ? x : shortcut.forward(ps, inputs, training).singletonOrThrow();
        NDArray sum = y.add(s);
        if (reluProbe != null) {
            reluProbe.accept(sum);
        }
        return new NDList(Activation.relu(sum));
    }

    /** The residual branch alone: bn(conv2(relu(bn(conv1(x))))), without the gate. */
    public NDArray branch(ParameterStore ps, NDList inputs, boolean training) {
        return conv2.forward(ps, conv1.forward(ps, inputs, training), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv2.getOutputShapes(conv1.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inputShape = inputShapes[0];
        conv1.initialize(manager, dataType, inputShapes);
        conv2.initialize(manager, dataType, conv1.getOutputShapes(inputShapes));
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
    }

    public String name() { return name; }

    @Override public String reluName() { return name + ".out"; }
    @Override public int reluChannels() { return conv2.outChannels(); }
    @Override public void setReluProbe(java.util.function.Consumer<NDArray> probe) { this.reluProbe = probe; }

    /**
     * Sets the depth gate: a transform of the residual branch's output before the addition (null: none). A gate of
     * 0 leaves relu(shortcut(x)), which is x itself for an identity shortcut (x is already a ReLU output): the
     * block can then be removed from the network.
     */
    public void setBranchGate(UnaryOperator<NDArray> gate) { this.branchGate = gate; }

    /** Shape of the input at initialisation (batch 1), e.g. (1, 16, 28, 28). */
    public Shape inputShape() { return inputShape; }

    public int inChannels() { return conv1.inChannels(); }
    public int outChannels() { return conv2.outChannels(); }
    public int stride() { return conv1.stride(); }

    /** Parameters of the residual branch (both convs and their BN): what removing the block saves. */
    public long branchParams() { return conv1.params() + conv2.params(); }

    /** Multiply-adds of the residual branch per sample. */
    public long branchMacs() { return conv1.macs() + conv2.macs(); }
    public ConvUnit conv1() { return conv1; }
    public ConvUnit conv2() { return conv2; }

    /** The projection shortcut, or null for an identity shortcut. */
    public ConvUnit shortcut() { return shortcut; }
}
