package io.otprune.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * Turns an {@link ImageSet} into mini-batches of NDArrays: images (B,1,H,W) normalised, labels (B) int32. The order
 * is shuffled per epoch from (seed, epoch), so a run is reproducible and resumable at any epoch.
 */
public final class Batches {
    private final ImageSet set;
    private final float[] table;
    private final int batchSize;

    public Batches(ImageSet set, Normalization norm, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.set = set;
        this.table = norm.table();
        this.batchSize = batchSize;
    }

    public int size() {
        return set.count();
    }

    public int batchSize() {
        return batchSize;
    }

    /** Number of batches per epoch; the last one may be smaller (none is dropped). */
    public int count() {
        return (set.count() + batchSize - 1) / batchSize;
    }

    /** Sample order of an epoch: shuffled from (seed, epoch) when shuffle is on, else 0..n-1. */
    public int[] order(long seed, int epoch, boolean shuffle) {
        int[] order = Subsets.range(set.count());
        if (shuffle) {
            Subsets.shuffle(order, new SplittableRandom(seed * 1_000_003L + epoch));
        }
        return order;
    }

    /** A batch of images and labels, created in (and owned by) {@code manager}. */
    public Batch batch(NDManager manager, int[] order, int index) {
        int from = index * batchSize;
        int n = Math.min(batchSize, order.length - from);
        int px = set.pixels();
        float[] x = new float[n * px];
        int[] y = new int[n];
        byte[] images = set.images();
        for (int k = 0; k < n; k++) {
            int s = order[from + k];
            int base = s * px;
            int out = k * px;
            for (int p = 0; p < px; p++) {
                x[out + p] = table[images[base + p] & 0xff];
            }
            y[k] = set.label(s);
        }
        NDArray xs = manager.create(FloatBuffer.wrap(x), new Shape(n, 1, set.height(), set.width()));
        NDArray ys = manager.create(y);
        return new Batch(xs, ys, n);
    }

    /** One mini-batch; the arrays belong to the manager it was created in. */
    public record Batch(NDArray images, NDArray labels, int size) {}
}
