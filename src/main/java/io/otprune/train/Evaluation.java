package io.otprune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.otprune.data.Batches;
import io.otprune.data.Augmentation;
import io.otprune.data.LabelledImages;
import io.otprune.data.ReaderControl;
import io.otprune.data.Normalization;
import io.otprune.model.Network;

/**
 * Loss and accuracy of a network on a data split (inference mode: BN uses its running statistics), and the
 * confusion matrix of its predictions, from which the accuracy is computed (so the two always agree).
 */
public record Evaluation(double loss, double accuracy, int samples, ConfusionMatrix confusion) {

    public static final int BATCH = 500;

    /**
     * Evaluates in batches, each in a child manager of {@code manager} that is closed right after, so nothing is
     * left behind. The batches are read ahead on the loader thread (a streamed test set is decoded there).
     */
    public static Evaluation of(Network net, NDManager manager, LabelledImages set, Normalization norm) {
        GradMode.offOnThisThread();
        Batches batches = new Batches(set, norm, BATCH);
        int[] order = batches.order(0, 0, false);
        ParameterStore ps = new ParameterStore(manager, false);
        double lossSum = 0;
        ConfusionMatrix confusion = null;
        try (Batches.Loader loader = batches.loader(order, 0, Augmentation.NONE, ReaderControl.NONE)) {
            for (int b = 0; b < batches.count(); b++) {
                try (NDManager step = manager.newSubManager()) {
                    Batches.Batch batch = loader.next(step);
                    NDArray logits = net.forward(ps, batch.images(), false);
                    lossSum += Losses.crossEntropy(logits, batch.labels()).getFloat() * batch.size();
                    if (confusion == null) {
                        confusion = ConfusionMatrix.empty((int) logits.getShape().get(1));
                    }
                    // the predicted labels come to Java (a few KB a batch) to be counted per class
                    confusion.add(batch.labels().toType(DataType.INT32, false).toIntArray(),
                            logits.argMax(1).toType(DataType.INT32, false).toIntArray());
                }
            }
        }
        return new Evaluation(lossSum / set.count(), confusion == null ? 0 : confusion.accuracy(), set.count(),
                confusion);
    }
}
