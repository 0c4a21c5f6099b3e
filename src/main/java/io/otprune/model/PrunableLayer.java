package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.function.UnaryOperator;

/**
 * A conv or linear layer the pruning engine can mask: per weight (a transform of the weight tensor applied in the
 * forward pass) or per output channel (a gate on the layer's output, placed after its BatchNorm when it has one,
 * since a gate in front of BN is undone by BN's normalisation).
 */
public interface PrunableLayer {
    enum Kind { CONV, LINEAR }

    /** Unique, stable name within its model, e.g. {@code conv1} or {@code s2.b1.conv2}. */
    String name();

    Kind kind();

    int inChannels();

    int outChannels();

    /** Kernel side (1 for linear layers). */
    int kernel();

    /** Whether its output channels may be pruned (false for a classifier's output layer). */
    boolean channelPrunable();

    Parameter weight();

    /** The bias, or null (conv layers followed by BN have none). */
    Parameter bias();

    /** Whether a BatchNorm follows the layer (its gamma and beta are then part of each channel). */
    boolean hasBatchNorm();

    /** Output spatial positions per sample (H'·W' for conv, 1 for linear); known once the model is initialised. */
    int outputPositions();

    /** Sets the per-weight transform used in the forward pass (null: the weight as it is). */
    void setWeightMask(UnaryOperator<NDArray> mask);

    /** Sets the per-channel gate on the output, after BN (null: no gate). */
    void setChannelGate(UnaryOperator<NDArray> gate);

    /** Trainable parameters of this layer: weight, bias, and BN gamma and beta. */
    default long params() {
        long w = (long) outChannels() * inChannels() * kernel() * kernel();
        long b = bias() != null ? outChannels() : 0;
        long bn = hasBatchNorm() ? 2L * outChannels() : 0;
        return w + b + bn;
    }

    /** Multiply-adds per sample of the layer's weight product. */
    default long macs() {
        return (long) outputPositions() * outChannels() * inChannels() * kernel() * kernel();
    }

    /** Number of individual weights. */
    default long weightCount() {
        return (long) outChannels() * inChannels() * kernel() * kernel();
    }
}
