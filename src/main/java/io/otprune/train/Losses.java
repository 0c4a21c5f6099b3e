package io.otprune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Cross-entropy and accuracy on logits. Written with array-array operations only: no Java number enters an op on
 * the autograd path (engine trap 1, docs/engine-traps.md).
 */
public final class Losses {
    private Losses() {}

    /** Mean softmax cross-entropy of logits (B, C) against int labels (B). */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logProb = logits.logSoftmax(1);
        NDArray oneHot = labels.oneHot((int) logits.getShape().get(1)).toType(logProb.getDataType(), false);
        return logProb.mul(oneHot).sum(new int[] {1}).mean().neg();
    }

    /** Number of rows whose arg-max equals the label. */
    public static long correct(NDArray logits, NDArray labels) {
        NDArray pred = logits.argMax(1).toType(DataType.INT32, false);
        return pred.eq(labels.toType(DataType.INT32, false)).sum().toType(DataType.INT64, false).getLong();
    }
}
