package io.otprune.data;

import java.util.Arrays;

/**
 * Greyscale images with integer labels, held as unsigned bytes (a quarter of the memory of floats; the batcher
 * normalises on the fly through a 256-entry table).
 */
public record ImageSet(byte[] images, byte[] labels, int count, int height, int width) {
    public ImageSet {
        if (images.length != (long) count * height * width) {
            throw new IllegalArgumentException("images: " + images.length + " bytes for " + count + " images of "
                    + height + "x" + width);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(count + " images but " + labels.length + " labels");
        }
    }

    public int pixels() {
        return height * width;
    }

    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** The samples at the given indices, in that order. */
    public ImageSet select(int[] indices) {
        int px = pixels();
        byte[] im = new byte[indices.length * px];
        byte[] lb = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(images, indices[k] * px, im, k * px, px);
            lb[k] = labels[indices[k]];
        }
        return new ImageSet(im, lb, indices.length, height, width);
    }

    /** Number of samples per class label (0..classes-1). */
    public int[] classCounts(int classes) {
        int[] c = new int[classes];
        for (byte b : labels) {
            c[b & 0xff]++;
        }
        return c;
    }

    /** Mean and standard deviation of all pixel values scaled to [0,1]. */
    public double[] pixelMeanStd() {
        long[] hist = new long[256];
        for (byte b : images) {
            hist[b & 0xff]++;
        }
        double n = images.length, sum = 0, sq = 0;
        for (int v = 0; v < 256; v++) {
            double x = v / 255.0;
            sum += hist[v] * x;
            sq += hist[v] * x * x;
        }
        double mean = sum / n;
        return new double[] {mean, Math.sqrt(Math.max(0, sq / n - mean * mean))};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageSet s && s.count == count && s.height == height && s.width == width
                && Arrays.equals(s.images, images) && Arrays.equals(s.labels, labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + count;
    }

    @Override
    public String toString() {
        return "ImageSet[" + count + " x " + height + "x" + width + "]";
    }
}
