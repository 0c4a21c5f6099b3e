package io.otprune.data;

/**
 * Labelled images read by index, all of one {@link ImageShape}: held in memory ({@link ImageSet}) or read from
 * disk on each access (image folders and CIFAR files too large to hold). Reading must be safe from several threads
 * at once: the batch loader reads on its own thread while the caller may read too.
 */
public interface LabelledImages {
    int count();

    ImageShape shape();

    /** Label of sample {@code i}, 0..classes-1. */
    int label(int i);

    /**
     * Copies the pixels of sample {@code i} (CHW, unsigned bytes) into {@code dst} at {@code offset}.
     *
     * @throws java.io.UncheckedIOException when a file on disk can no longer be read
     */
    void read(int i, byte[] dst, int offset);

    /** True when every sample is already in memory (reading costs a copy, no decoding). */
    default boolean inMemory() {
        return false;
    }

    default int height() {
        return shape().height();
    }

    default int width() {
        return shape().width();
    }

    default int channels() {
        return shape().channels();
    }

    /**
     * Each sample's content key ({@link SampleOrder#key}): what training orders and augments by. Reads every sample;
     * a set that decodes its files overrides it with the keys taken while it scanned them.
     */
    default long[] sampleKeys() {
        return SampleOrder.keys(this);
    }

    /** Number of samples per class label (0..classes-1). */
    default int[] classCounts(int classes) {
        int[] c = new int[classes];
        for (int i = 0; i < count(); i++) {
            c[label(i)]++;
        }
        return c;
    }

    /** Per channel, how often each byte value occurs (what normalisation constants are computed from). */
    default long[][] channelHistograms() {
        ImageShape s = shape();
        long[][] hist = new long[s.channels()][256];
        byte[] buf = new byte[s.bytes()];
        for (int i = 0; i < count(); i++) {
            read(i, buf, 0);
            PixelStats.add(hist, buf, 0, s);
        }
        return hist;
    }

    /** All samples in memory: this set itself if it is an {@link ImageSet}, else a copy read in full. */
    default ImageSet load() {
        ImageShape s = shape();
        byte[] images = new byte[Math.multiplyExact(count(), s.bytes())];
        byte[] labels = new byte[count()];
        for (int i = 0; i < count(); i++) {
            read(i, images, i * s.bytes());
            labels[i] = (byte) label(i);
        }
        return new ImageSet(images, labels, count(), s.channels(), s.height(), s.width());
    }
}
