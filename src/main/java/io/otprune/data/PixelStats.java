package io.otprune.data;

/** Per-channel pixel statistics from 256-bin histograms (exact and mergeable across threads). */
public final class PixelStats {
    private PixelStats() {}

    /** Adds one CHW image to per-channel histograms. */
    static void add(long[][] hist, byte[] image, int offset, ImageShape s) {
        int plane = s.plane();
        for (int c = 0; c < s.channels(); c++) {
            long[] h = hist[c];
            int base = offset + c * plane;
            for (int p = 0; p < plane; p++) {
                h[image[base + p] & 0xff]++;
            }
        }
    }

    /** {mean, std} of one channel's values scaled to [0,1]. */
    public static double[] meanStd(long[] hist) {
        double n = 0, sum = 0, sq = 0;
        for (int v = 0; v < 256; v++) {
            double x = v / 255.0;
            n += hist[v];
            sum += hist[v] * x;
            sq += hist[v] * x * x;
        }
        if (n == 0) {
            return new double[] {0, 0};
        }
        double mean = sum / n;
        return new double[] {mean, Math.sqrt(Math.max(0, sq / n - mean * mean))};
    }
}
