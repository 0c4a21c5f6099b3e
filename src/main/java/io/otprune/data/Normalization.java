package io.otprune.data;

/**
 * Pixel normalisation (x/255 - mean) / std, with the constants a model was trained with (stored in its
 * model.json so evaluation uses the same ones).
 */
public record Normalization(double mean, double std) {
    public Normalization {
        if (!(std > 0)) {
            throw new IllegalArgumentException("normalisation std must be positive, got " + std);
        }
    }

    /** Constants measured on a training set. */
    public static Normalization of(ImageSet train) {
        double[] ms = train.pixelMeanStd();
        return new Normalization(round(ms[0]), round(ms[1]));
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /** Lookup table from byte value to normalised float. */
    public float[] table() {
        float[] t = new float[256];
        for (int v = 0; v < 256; v++) {
            t[v] = (float) ((v / 255.0 - mean) / std);
        }
        return t;
    }
}
