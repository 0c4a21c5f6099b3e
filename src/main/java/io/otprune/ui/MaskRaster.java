package io.otprune.ui;

import java.util.Locale;

/**
 * How a layer's mask is drawn as a picture, free of the toolkit so it is tested without one. Three layouts:
 * <ul>
 *   <li>{@link Layout#PIXELS}: a dense layer fed by the image (the MLP's first layer): one cell per input pixel,
 *       its value the mean mask over the layer's outputs, so the picture shows which pixels survive;</li>
 *   <li>{@link Layout#FILTERS}: a conv layer's weights as a grid of filters (rows) × input channels (columns), each
 *       cell a kh×kw tile, tiles one cell apart; a dense layer as outputs × inputs;</li>
 *   <li>{@link Layout#STRIP}: channel units (structured runs): one cell per channel, wrapped into rows of
 *       {@value #STRIP_COLUMNS}.</li>
 * </ul>
 * Cells outside any unit (gaps between tiles, the end of the last strip row) are NaN.
 */
public final class MaskRaster {
    public enum Layout { PIXELS, FILTERS, STRIP }

    static final int STRIP_COLUMNS = 32;

    private final Layout layout;
    private final long[] shape;
    private final float[] values;
    private final int width;
    private final int height;
    private final float[] cells;
    private final int imageWidth;
    private float brightest;

    private MaskRaster(Layout layout, long[] shape, float[] values, int width, int height, int imageWidth) {
        this.layout = layout;
        this.shape = shape;
        this.values = values;
        this.width = width;
        this.height = height;
        this.imageWidth = imageWidth;
        this.cells = new float[width * height];
        java.util.Arrays.fill(cells, Float.NaN);
    }

    /**
     * Lays out a mask of {@code shape} (row-major {@code values}); {@code imageHeight × imageWidth} is the model's
     * input image, which identifies a dense layer that reads pixels.
     */
    public static MaskRaster of(long[] shape, float[] values, int imageHeight, int imageWidth) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("mask of shape " + java.util.Arrays.toString(shape) + " has "
                    + values.length + " values");
        }
        if (shape.length == 2 && shape[1] == (long) imageHeight * imageWidth) {
            MaskRaster r = new MaskRaster(Layout.PIXELS, shape, values, imageWidth, imageHeight, imageWidth);
            int out = (int) shape[0], in = (int) shape[1];
            double[] sum = new double[in];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    sum[i] += values[o * in + i];
                }
            }
            for (int i = 0; i < in; i++) {
                r.cells[i] = (float) (sum[i] / out);
                r.brightest = Math.max(r.brightest, r.cells[i]);
            }
            return r;
        }
        if (shape.length == 2 || shape.length == 4) {
            int out = (int) shape[0], in = (int) shape[1];
            int kh = shape.length == 4 ? (int) shape[2] : 1, kw = shape.length == 4 ? (int) shape[3] : 1;
            int gap = shape.length == 4 ? 1 : 0;
            MaskRaster r = new MaskRaster(Layout.FILTERS, shape, values, in * (kw + gap) - gap,
                    out * (kh + gap) - gap, 0);
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    for (int y = 0; y < kh; y++) {
                        for (int x = 0; x < kw; x++) {
                            int row = o * (kh + gap) + y, col = i * (kw + gap) + x;
                            r.cells[row * r.width + col] = values[((o * in + i) * kh + y) * kw + x];
                        }
                    }
                }
            }
            return r;
        }
        int cols = (int) Math.min(STRIP_COLUMNS, Math.max(1, n));
        MaskRaster r = new MaskRaster(Layout.STRIP, shape, values, cols, (int) ((n + cols - 1) / cols), 0);
        System.arraycopy(values, 0, r.cells, 0, values.length);
        return r;
    }

    public Layout layout() { return layout; }
    /** The largest cell of a {@link Layout#PIXELS} raster (what {@link #shade} scales by); 0 otherwise. */
    public float brightest() { return brightest; }
    public int width() { return width; }
    public int height() { return height; }

    /** The value drawn at cell (x, y): a mask in [0, 1], or NaN where no unit is. */
    public float cell(int x, int y) {
        return cells[y * width + x];
    }

    /**
     * The value to colour at cell (x, y): the mask itself, except for {@link Layout#PIXELS}, whose means over a
     * layer's outputs are small at high sparsity (10% of weights kept: every pixel ≤ 0.1 or so) and are therefore
     * scaled by the brightest pixel, so the picture shows where the kept weights concentrate.
     */
    public float shade(int x, int y) {
        float v = cell(x, y);
        return layout == Layout.PIXELS && brightest > 0 ? v / brightest : v;
    }

    /** Share of units whose mask is above 0.5 (what the picture's bright cells add up to). */
    public double keptFraction() {
        long k = 0;
        for (float v : values) {
            if (v > 0.5f) {
                k++;
            }
        }
        return values.length == 0 ? 0 : (double) k / values.length;
    }

    /** What the unit under cell (x, y) is and its mask, for hover text; null outside any unit. */
    public String describe(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height || Float.isNaN(cell(x, y))) {
            return null;
        }
        float v = cell(x, y);
        switch (layout) {
            case PIXELS -> {
                int out = (int) shape[0], in = (int) shape[1], i = y * imageWidth + x;
                int kept = 0;
                for (int o = 0; o < out; o++) {
                    if (values[o * in + i] > 0.5f) {
                        kept++;
                    }
                }
                return String.format(Locale.ROOT, "pixel (row %d, col %d): %d of %d weights kept, mean mask %.3f",
                        y, x, kept, out, v);
            }
            case FILTERS -> {
                if (shape.length == 2) {
                    return String.format(Locale.ROOT, "weight [out %d, in %d]: mask %.3f", y, x, v);
                }
                int kh = (int) shape[2], kw = (int) shape[3];
                return String.format(Locale.ROOT, "filter %d, input channel %d, tap (%d, %d): mask %.3f",
                        y / (kh + 1), x / (kw + 1), y % (kh + 1), x % (kw + 1), v);
            }
            default -> {
                return String.format(Locale.ROOT, "channel %d: mask %.3f", y * width + x, v);
            }
        }
    }

    /**
     * Colour of a mask value as ARGB: pruned (0) dark blue, undecided (0.5) grey-violet, kept (1) warm yellow;
     * NaN (no unit) the background.
     */
    public static int argb(float v) {
        if (Float.isNaN(v)) {
            return 0xFFF4F4F4;
        }
        double t = Math.max(0, Math.min(1, v));
        int r = (int) Math.round(lerp3(t, 0x1B, 0x8C, 0xFD));
        int g = (int) Math.round(lerp3(t, 0x1E, 0x6E, 0xC8));
        int b = (int) Math.round(lerp3(t, 0x4D, 0x8E, 0x26));
        return 0xFF000000 | r << 16 | g << 8 | b;
    }

    private static double lerp3(double t, int a, int m, int b) {
        return t < 0.5 ? a + (m - a) * (t * 2) : m + (b - m) * ((t - 0.5) * 2);
    }
}
