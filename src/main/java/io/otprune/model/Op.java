package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;

/**
 * What a node of a {@link Graph} computes. Everything the project needs to know about an op lives in its class: how
 * it maps shapes, what it costs (parameters, multiply-adds), how it runs, how channels flow through it (for tracing
 * channel groups) and how it looks with other channel counts (for compaction). A new op is one new record
 * implementing this interface plus one line in {@link Ops#TYPES}.
 *
 * <p>Shapes are per sample: {@code {C, H, W}} for feature maps, {@code {F}} for feature vectors.
 */
public interface Op {

    /** How an op's output channels relate to its inputs' channels, for tracing what must be pruned together. */
    enum ChannelFlow {
        /** Output channel c is input channel c (BatchNorm, activations, pooling, Identity). */
        PASS,
        /** New output channels made from all input channels (Conv, Linear): a producer and a consumer. */
        PRODUCE,
        /** Output channel c is made from input channel c only, with weights of its own (depthwise Conv). */
        PER_CHANNEL,
        /** Inputs and output share their channels (Add, Mul: broadcast vectors tie to the map's channels). */
        JOIN,
        /** The output lists the inputs' channels one after the other (Concat). */
        CONCAT,
        /** The output's features are the input's channels × positions (Flatten). */
        FLATTEN,
        /** Channels that cannot be pruned (a grouped convolution's groups must stay equal). */
        FIXED
    }

    /** The name stored in model.json. */
    String type();

    /** Output shape for the given input shapes; throws IllegalArgumentException naming what does not fit. */
    int[] outShape(List<int[]> in);

    ChannelFlow channelFlow();

    /** Trainable parameter values for these input and output shapes (BN running statistics not counted). */
    default long params(List<int[]> in, int[] out) {
        return 0;
    }

    /** Multiply-adds per sample of the op's weight product (BN, activations, pooling and additions: 0). */
    default long macs(List<int[]> in, int[] out) {
        return 0;
    }

    /** A DJL block holding the op's parameters, or null for ops without parameters. */
    default Block newBlock(String name) {
        return null;
    }

    /** Runs the op; {@code block} is what {@link #newBlock} made (or null). */
    NDArray forward(Block block, ParameterStore ps, List<NDArray> in, boolean training);

    /**
     * Runs the op with each output channel (dimension 1) multiplied by {@code scale}, shape (channels): what a channel
     * gate computes. Here the product of the output with the scale; an op whose output is affine per channel folds
     * the scale into its own parameters instead ({@link Ops.BatchNorm}), which spares the full-size product and its
     * backward pass.
     */
    default NDArray forwardScaled(Block block, ParameterStore ps, List<NDArray> in, boolean training, NDArray scale) {
        NDArray y = forward(block, ps, in, training);
        long[] shape = new long[y.getShape().dimension()];
        Arrays.fill(shape, 1);
        shape[1] = scale.getShape().get(0);
        // the activation first: the product belongs to the step's manager (engine trap 2), and so does the view
        NDArray s = scale.reshape(new Shape(shape));
        s.attach(y.getManager());
        return y.mul(s);
    }

    /** Whether a zero input channel gives a zero output channel (false where a bias, shift or σ(0)=½ comes in). */
    default boolean preservesZero() {
        return true;
    }

    /** The same op for inputs of other channel counts and {@code outChannels} outputs (compaction). */
    default Op resized(List<int[]> newIn, int outChannels) {
        return this;
    }
}
