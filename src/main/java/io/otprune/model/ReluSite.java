package io.otprune.model;

import ai.djl.ndarray.NDArray;
import java.util.function.Consumer;

/**
 * A ReLU of the network whose input can be watched: a conv or dense layer's own ReLU, or the ReLU after a residual
 * block's addition. The probe receives the ReLU's input (N, C[, H, W]) on every forward pass while it is set; it
 * must not keep the array (it belongs to the pass's manager).
 */
public interface ReluSite {
    /** Name shown in events: the layer's name, or {@code <block>.out} for a block's output ReLU. */
    String reluName();

    /** Channels of the ReLU's input (axis 1). */
    int reluChannels();

    /** Sets the probe (null: none). */
    void setReluProbe(Consumer<NDArray> probe);
}
