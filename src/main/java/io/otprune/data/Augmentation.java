package io.otprune.data;

import java.util.SplittableRandom;

/**
 * Training-time augmentation, the CIFAR recipe: a random crop of the image padded by {@code padding} zero pixels on
 * every side, and a horizontal flip with probability 1/2. Seeded per (seed, epoch, sample key), the key being the
 * sample's content ({@link SampleOrder#key}), so a sample gets the same augmentation whatever batch or thread reads
 * it, or wherever it sits in the data set, and a run is reproducible.
 */
public record Augmentation(boolean enabled, int padding, boolean flip, long seed) {
    public static final Augmentation NONE = new Augmentation(false, 0, false, 0);
    public static final int DEFAULT_PADDING = 4;

    public Augmentation {
        if (padding < 0) {
            throw new IllegalArgumentException("augmentation padding must be >= 0, got " + padding);
        }
    }

    /** Crop with {@code padding} and flip, seeded. */
    public static Augmentation cropFlip(int padding, long seed) {
        return new Augmentation(true, padding, true, seed);
    }

    /** Augments one CHW image in place; {@code scratch} holds at least one image. */
    public void apply(byte[] image, int offset, ImageShape s, int epoch, long sample, byte[] scratch) {
        if (!enabled) {
            return;
        }
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + sample);
        int dy = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
        int dx = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
        boolean mirror = flip && rng.nextBoolean();
        if (dy == 0 && dx == 0 && !mirror) {
            return;
        }
        int h = s.height(), w = s.width();
        System.arraycopy(image, offset, scratch, 0, s.bytes());
        for (int c = 0; c < s.channels(); c++) {
            int plane = c * s.plane();
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                for (int x = 0; x < w; x++) {
                    int sx = (mirror ? w - 1 - x : x) + dx;
                    image[offset + plane + y * w + x] =
                            sy < 0 || sy >= h || sx < 0 || sx >= w ? 0 : scratch[plane + sy * w + sx];
                }
            }
        }
    }
}
