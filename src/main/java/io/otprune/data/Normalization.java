package io.otprune.data;

import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.annotations.JsonAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pixel normalisation (x/255 - mean[c]) / std[c] per channel c, with the constants a model was trained with
 * (stored in its model.json so evaluation, pruning and the window use the same ones).
 *
 * <p>In model.json a one-channel normalisation is written as numbers, {@code {"mean":0.286,"std":0.353}}, as
 * before per-channel constants existed (older files load and greyscale models write the same file as ever);
 * several channels as arrays, {@code {"mean":[0.49,0.48,0.45],"std":[...]}}.
 */
@JsonAdapter(Normalization.JsonForm.class)
public record Normalization(double[] mean, double[] std) {
    public Normalization {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalisation needs one mean and one std per channel, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        mean = mean.clone();
        std = std.clone();
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("normalisation std must be positive, got " + s);
            }
        }
    }

    /** One channel. */
    public Normalization(double mean, double std) {
        this(new double[] {mean}, new double[] {std});
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    public int channels() {
        return mean.length;
    }

    /** Constants measured on a training set, per channel, rounded to 4 decimals. */
    public static Normalization of(LabelledImages train) {
        long[][] hist = train.channelHistograms();
        double[] m = new double[hist.length];
        double[] s = new double[hist.length];
        for (int c = 0; c < hist.length; c++) {
            double[] ms = PixelStats.meanStd(hist[c]);
            m[c] = round(ms[0]);
            s[c] = ms[1] > 0 ? round(ms[1]) : 1; // a constant channel: centre it, do not divide by zero
        }
        return new Normalization(m, s);
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /** Lookup tables from byte value to normalised float, one per channel. */
    public float[][] tables() {
        float[][] t = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            for (int v = 0; v < 256; v++) {
                t[c][v] = (float) ((v / 255.0 - mean[c]) / std[c]);
            }
        }
        return t;
    }

    /** The lookup table of a one-channel normalisation. */
    public float[] table() {
        return tables()[0];
    }

    /**
     * Checks that these constants fit images of {@code channels} channels.
     *
     * @throws IllegalArgumentException naming both counts
     */
    public void requireChannels(int channels) {
        if (channels != mean.length) {
            throw new IllegalArgumentException("the normalisation has " + mean.length + " channel(s) but the images "
                    + "have " + channels);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + " std " + Arrays.toString(std);
    }

    /** model.json form: numbers for one channel (the original layout), arrays for several. */
    static final class JsonForm extends TypeAdapter<Normalization> {
        @Override
        public void write(JsonWriter out, Normalization n) throws IOException {
            if (n == null) {
                out.nullValue();
                return;
            }
            out.beginObject();
            out.name("mean");
            writeValues(out, n.mean);
            out.name("std");
            writeValues(out, n.std);
            out.endObject();
        }

        private static void writeValues(JsonWriter out, double[] v) throws IOException {
            if (v.length == 1) {
                out.value(v[0]);
                return;
            }
            out.beginArray();
            for (double x : v) {
                out.value(x);
            }
            out.endArray();
        }

        @Override
        public Normalization read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            double[] mean = null, std = null;
            in.beginObject();
            while (in.hasNext()) {
                String name = in.nextName();
                switch (name) {
                    case "mean" -> mean = readValues(in);
                    case "std" -> std = readValues(in);
                    default -> in.skipValue();
                }
            }
            in.endObject();
            try {
                return new Normalization(mean, std);
            } catch (IllegalArgumentException e) {
                throw new JsonParseException("normalization: " + e.getMessage(), e);
            }
        }

        private static double[] readValues(JsonReader in) throws IOException {
            if (in.peek() != JsonToken.BEGIN_ARRAY) {
                return new double[] {in.nextDouble()};
            }
            List<Double> v = new ArrayList<>();
            in.beginArray();
            while (in.hasNext()) {
                v.add(in.nextDouble());
            }
            in.endArray();
            return v.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
