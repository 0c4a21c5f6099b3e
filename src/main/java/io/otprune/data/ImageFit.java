package io.otprune.data;

/**
 * Brings an image to the shape a model takes, the one way the project does it: channels first (grey to RGB repeats
 * the plane; RGB to grey takes the luma, ITU-R 601), then the image is scaled so that it covers the target (for a
 * square target: its shorter side becomes the target's side) and the centre is cropped. Scaling is a triangle
 * filter whose support widens when shrinking (no aliasing); an image already of the target size is copied exactly.
 */
public final class ImageFit {
    private ImageFit() {}

    /** Fits {@code src} (CHW of shape {@code from}) into {@code dst} at {@code offset} (CHW of shape {@code to}). */
    public static void fit(byte[] src, ImageShape from, byte[] dst, int offset, ImageShape to) {
        byte[] chans = channels(src, from, to.channels());
        ImageShape mid = from.withChannels(to.channels());
        if (mid.height() == to.height() && mid.width() == to.width()) {
            System.arraycopy(chans, 0, dst, offset, to.bytes());
            return;
        }
        double scale = Math.max((double) to.height() / from.height(), (double) to.width() / from.width());
        Kernel rows = new Kernel(from.height(), to.height(), scale);
        Kernel cols = new Kernel(from.width(), to.width(), scale);
        float[] tmp = new float[from.height() * to.width()];
        for (int c = 0; c < to.channels(); c++) {
            int base = c * mid.plane();
            for (int y = 0; y < from.height(); y++) { // horizontal pass: source rows, target columns
                int row = base + y * from.width();
                for (int x = 0; x < to.width(); x++) {
                    float v = 0;
                    for (int k = 0; k < cols.taps[x].length; k++) {
                        v += cols.weights[x][k] * (chans[row + cols.taps[x][k]] & 0xff);
                    }
                    tmp[y * to.width() + x] = v;
                }
            }
            int out = offset + c * to.plane();
            for (int y = 0; y < to.height(); y++) { // vertical pass
                for (int x = 0; x < to.width(); x++) {
                    float v = 0;
                    for (int k = 0; k < rows.taps[y].length; k++) {
                        v += rows.weights[y][k] * tmp[rows.taps[y][k] * to.width() + x];
                    }
                    dst[out + y * to.width() + x] = (byte) Math.round(Math.max(0f, Math.min(255f, v)));
                }
            }
        }
    }

    /** The image with {@code channels} channels (a copy when they already match). */
    static byte[] channels(byte[] src, ImageShape from, int channels) {
        int plane = from.plane();
        if (from.channels() == channels) {
            return src.length == from.bytes() ? src : java.util.Arrays.copyOf(src, from.bytes());
        }
        byte[] out = new byte[channels * plane];
        if (channels == 3) { // grey -> RGB: the same plane three times
            for (int c = 0; c < 3; c++) {
                System.arraycopy(src, 0, out, c * plane, plane);
            }
        } else { // RGB -> grey: luma; equal channels give back the same value
            for (int p = 0; p < plane; p++) {
                double y = 0.299 * (src[p] & 0xff) + 0.587 * (src[plane + p] & 0xff) + 0.114 * (src[2 * plane + p] & 0xff);
                out[p] = (byte) Math.min(255, Math.round(y));
            }
        }
        return out;
    }

    /**
     * Places a smaller image in the centre of a larger canvas of zeros, channels converted first (what the CIFAR
     * writer does with 28x28 images: the 32x32 record then holds every original pixel unchanged). Images larger
     * than the canvas in either side are fitted instead.
     */
    public static void padOrFit(byte[] src, ImageShape from, byte[] dst, int offset, ImageShape to) {
        if (from.height() > to.height() || from.width() > to.width()) {
            fit(src, from, dst, offset, to);
            return;
        }
        byte[] chans = channels(src, from, to.channels());
        int top = (to.height() - from.height()) / 2, left = (to.width() - from.width()) / 2;
        java.util.Arrays.fill(dst, offset, offset + to.bytes(), (byte) 0);
        for (int c = 0; c < to.channels(); c++) {
            for (int y = 0; y < from.height(); y++) {
                System.arraycopy(chans, c * from.plane() + y * from.width(), dst,
                        offset + c * to.plane() + (y + top) * to.width() + left, from.width());
            }
        }
    }

    /** For each target coordinate along one axis, the source coordinates it reads and their weights. */
    private static final class Kernel {
        final int[][] taps;
        final float[][] weights;

        Kernel(int n, int m, double scale) {
            taps = new int[m][];
            weights = new float[m][];
            double offset = (n * scale - m) / 2; // centre crop, in scaled pixels
            double support = scale < 1 ? 1 / scale : 1;
            for (int j = 0; j < m; j++) {
                double centre = (j + offset + 0.5) / scale - 0.5;
                int lo = (int) Math.floor(centre - support) + 1, hi = (int) Math.ceil(centre + support) - 1;
                int[] t = new int[hi - lo + 1];
                float[] w = new float[hi - lo + 1];
                double sum = 0;
                for (int k = 0; k < t.length; k++) {
                    int s = lo + k;
                    t[k] = Math.max(0, Math.min(n - 1, s));
                    double wk = Math.max(0, 1 - Math.abs(s - centre) / support);
                    w[k] = (float) wk;
                    sum += wk;
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] = (float) (w[k] / sum);
                }
                taps[j] = t;
                weights[j] = w;
            }
        }
    }
}
