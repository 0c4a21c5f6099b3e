package io.otprune.data;

import java.util.Arrays;

/**
 * Labelled images held in memory as unsigned bytes, each image's channel planes one after the other (CHW): a
 * quarter of the memory of floats; the batcher normalises on the fly through 256-entry tables.
 */
public record ImageSet(byte[] images, byte[] labels, int count, int channels, int height, int width)
        implements LabelledImages {
    public ImageSet {
        if (images.length != (long) count * channels * height * width) {
            throw new IllegalArgumentException("images: " + images.length + " bytes for " + count + " images of "
                    + channels + "x" + height + "x" + width);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(count + " images but " + labels.length + " labels");
        }
    }

    /** Greyscale images (one channel), as the IDX files hold them. */
    public ImageSet(byte[] images, byte[] labels, int count, int height, int width) {
        this(images, labels, count, 1, height, width);
    }

    @Override
    public ImageShape shape() {
        return new ImageShape(channels, height, width);
    }

    /** Pixels of one channel plane (height x width). */
    public int pixels() {
        return height * width;
    }

    /** Bytes of one image (channels x height x width). */
    public int sampleBytes() {
        return channels * height * width;
    }

    @Override
    public int label(int i) {
        return labels[i] & 0xff;
    }

    @Override
    public void read(int i, byte[] dst, int offset) {
        int n = sampleBytes();
        System.arraycopy(images, i * n, dst, offset, n);
    }

    @Override
    public boolean inMemory() {
        return true;
    }

    @Override
    public ImageSet load() {
        return this;
    }

    /** The samples at the given indices, in that order. */
    public ImageSet select(int[] indices) {
        int px = sampleBytes();
        byte[] im = new byte[indices.length * px];
        byte[] lb = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(images, indices[k] * px, im, k * px, px);
            lb[k] = labels[indices[k]];
        }
        return new ImageSet(im, lb, indices.length, channels, height, width);
    }

    @Override
    public int[] classCounts(int classes) {
        int[] c = new int[classes];
        for (byte b : labels) {
            c[b & 0xff]++;
        }
        return c;
    }

    @Override
    public long[][] channelHistograms() {
        long[][] hist = new long[channels][256];
        ImageShape s = shape();
        for (int i = 0; i < count; i++) {
            PixelStats.add(hist, images, i * s.bytes(), s);
        }
        return hist;
    }

    /** Mean and standard deviation of all pixel values (all channels) scaled to [0,1]. */
    public double[] pixelMeanStd() {
        long[] hist = new long[256];
        for (byte b : images) {
            hist[b & 0xff]++;
        }
        return PixelStats.meanStd(hist);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageSet s && s.count == count && s.channels == channels && s.height == height
                && s.width == width && Arrays.equals(s.images, images) && Arrays.equals(s.labels, labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + count;
    }

    @Override
    public String toString() {
        return "ImageSet[" + count + " x " + channels + "x" + height + "x" + width + "]";
    }
}
