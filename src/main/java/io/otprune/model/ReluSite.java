package io.otprune.model;

import ai.djl.ndarray.NDArray;
import java.util.function.Consumer;

/**
 * A ReLU node whose input can be watched (activation statistics). The probe receives the ReLU's input
 * (N, C[, H, W]) on every forward pass while it is set; it must not keep the array (it belongs to the pass's
 * manager).
 *
 * @param reluName name shown in events: the node's name without a trailing {@code .relu} ({@code conv1},
 *                 {@code s1.b1.out})
 * @param reluChannels channels of the ReLU's input (axis 1)
 */
public record ReluSite(String reluName, int reluChannels, Consumer<Consumer<NDArray>> probeSetter) {

    /** Sets the probe (null: none). */
    public void setReluProbe(Consumer<NDArray> probe) {
        probeSetter.accept(probe);
    }

    static String nameOf(String reluNode) {
        return reluNode.endsWith(".relu") ? reluNode.substring(0, reluNode.length() - 5) : reluNode;
    }
}
