package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.function.UnaryOperator;

/**
 * The block of a conv or linear node: the weights the pruning engine masks. Per weight, a transform of the weight
 * tensor applied in the forward pass; per channel, scales sit on node outputs ({@link GraphBlock#setChannelScale}),
 * chosen by the channel tracing, since a gate in front of BatchNorm would be undone by its normalisation.
 */
public interface PrunableLayer {
    enum Kind { CONV, LINEAR }

    /** The node's name, unique and stable within its model, e.g. {@code conv1} or {@code s2.b1.conv2}. */
    String name();

    Kind kind();

    /** Input channels (features for linear layers). */
    int inChannels();

    int outChannels();

    /** Weight values per (output, input) pair: kh·kw for a conv, 1 for a linear layer. */
    int kernelSize();

    /** Input channels each output channel reads: in/groups (1 for a depthwise conv). */
    default int inPerOutput() {
        return inChannels();
    }

    Parameter weight();

    /** The bias, or null. */
    Parameter bias();

    /** Output spatial positions per sample (H'·W' for conv, 1 for linear); known once the model is initialised. */
    int outputPositions();

    /** Sets the per-weight transform used in the forward pass (null: the weight as it is). */
    void setWeightMask(UnaryOperator<NDArray> mask);

    /** Number of individual weights. */
    default long weightCount() {
        return (long) outChannels() * inPerOutput() * kernelSize();
    }

    /** Multiply-adds per sample of the layer's weight product. */
    default long macs() {
        return outputPositions() * weightCount();
    }
}
