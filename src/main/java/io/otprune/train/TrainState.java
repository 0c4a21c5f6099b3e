package io.otprune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.otprune.util.Files2;
import io.otprune.util.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The state a checkpoint holds beyond the weights: named scalars (written as {@code state.json}, doubles as their
 * exact bit patterns too, so they round-trip bit for bit) and named arrays (written as {@code state.params}: each
 * array's DJL encoding, in a length-prefixed stream). Arrays are copied to the host when put, so the state does not
 * depend on the run's native arrays staying open.
 */
public final class TrainState {
    public static final String JSON = "state.json";
    public static final String ARRAYS = "state.params";
    private static final String MAGIC = "OTPRUNE-STATE-1";

    private final JsonObject scalars;
    private final Map<String, float[]> floats = new LinkedHashMap<>();
    private final Map<String, Shape> shapes = new LinkedHashMap<>();

    public TrainState() {
        this(new JsonObject());
    }

    private TrainState(JsonObject scalars) {
        this.scalars = scalars;
    }

    // ---- scalars

    public TrainState put(String key, String v) {
        scalars.addProperty(key, v);
        return this;
    }

    public TrainState put(String key, long v) {
        scalars.addProperty(key, v);
        return this;
    }

    /** A double, exactly: its bit pattern is what is read back; the number is there for people. */
    public TrainState put(String key, double v) {
        JsonObject o = new JsonObject();
        o.addProperty("bits", Long.toHexString(Double.doubleToRawLongBits(v)));
        o.addProperty("value", Double.isFinite(v) ? new JsonPrimitive(v).getAsString() : String.valueOf(v));
        scalars.add(key, o);
        return this;
    }

    public TrainState put(String key, double[] v) {
        com.google.gson.JsonArray a = new com.google.gson.JsonArray();
        for (double d : v) {
            a.add(Long.toHexString(Double.doubleToRawLongBits(d)));
        }
        scalars.add(key, a);
        return this;
    }

    public boolean has(String key) {
        return scalars.has(key) || floats.containsKey(key);
    }

    public String getString(String key) {
        return need(key).getAsString();
    }

    public long getLong(String key) {
        return need(key).getAsLong();
    }

    public int getInt(String key) {
        return Math.toIntExact(getLong(key));
    }

    public double getDouble(String key) {
        JsonElement e = need(key);
        return Double.longBitsToDouble(Long.parseUnsignedLong(e.getAsJsonObject().get("bits").getAsString(), 16));
    }

    public double[] getDoubles(String key) {
        com.google.gson.JsonArray a = need(key).getAsJsonArray();
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.longBitsToDouble(Long.parseUnsignedLong(a.get(i).getAsString(), 16));
        }
        return v;
    }

    private JsonElement need(String key) {
        JsonElement e = scalars.get(key);
        if (e == null) {
            throw new IllegalStateException("checkpoint state has no '" + key + "'");
        }
        return e;
    }

    // ---- arrays

    /** Copies a float array (of any manager) to the host under {@code key}. */
    public TrainState put(String key, NDArray a) {
        NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        floats.put(key, f.toFloatArray());
        shapes.put(key, a.getShape());
        if (f != a) {
            f.close();
        }
        return this;
    }

    /** A host float array under {@code key}, stored with {@code shape} (its size must match). */
    public TrainState put(String key, float[] v, Shape shape) {
        if (v.length != shape.size()) {
            throw new IllegalArgumentException(key + ": " + v.length + " values for shape " + shape);
        }
        floats.put(key, v.clone());
        shapes.put(key, shape);
        return this;
    }

    public TrainState put(String key, boolean[] keep) {
        float[] v = new float[keep.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = keep[i] ? 1f : 0f;
        }
        floats.put(key, v);
        shapes.put(key, new Shape(v.length));
        return this;
    }

    /** The array under {@code key}, created in {@code manager}. */
    public NDArray array(String key, NDManager manager) {
        float[] v = floats.get(key);
        if (v == null) {
            throw new IllegalStateException("checkpoint state has no array '" + key + "'");
        }
        return manager.create(v, shapes.get(key));
    }

    public boolean[] booleans(String key) {
        float[] v = floats.get(key);
        if (v == null) {
            throw new IllegalStateException("checkpoint state has no array '" + key + "'");
        }
        boolean[] b = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i] != 0f;
        }
        return b;
    }

    public Set<String> arrayKeys() {
        return floats.keySet();
    }

    // ---- files

    /** Writes state.params, then state.json (the JSON last: a folder with state.json holds complete state). */
    public void write(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes))) {
            out.writeUTF(MAGIC);
            out.writeInt(floats.size());
            for (Map.Entry<String, float[]> e : floats.entrySet()) {
                out.writeUTF(e.getKey());
                long[] dims = shapes.get(e.getKey()).getShape();
                out.writeInt(dims.length);
                for (long d : dims) {
                    out.writeLong(d);
                }
                float[] v = e.getValue();
                out.writeInt(v.length);
                for (float x : v) {
                    out.writeInt(Float.floatToRawIntBits(x));
                }
            }
        }
        Files.write(dir.resolve(ARRAYS), bytes.toByteArray());
        Files2.writeAtomically(dir.resolve(JSON), Json.PRETTY.toJson(scalars) + "\n");
    }

    /** Reads a state written by {@link #write}; anything malformed is an IOException naming the file. */
    public static TrainState read(Path dir) throws IOException {
        Path json = dir.resolve(JSON);
        TrainState s;
        try {
            s = new TrainState(JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8))
                    .getAsJsonObject());
        } catch (RuntimeException e) {
            throw new IOException(json + ": not valid checkpoint state (" + e.getMessage() + ")", e);
        }
        Path arrays = dir.resolve(ARRAYS);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(arrays)))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new IOException(arrays + ": not a checkpoint state file");
            }
            int n = in.readInt();
            for (int k = 0; k < n; k++) {
                String key = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 8) {
                    throw new IOException(arrays + ": corrupt (rank " + rank + ")");
                }
                long[] dims = new long[rank];
                long size = 1;
                for (int i = 0; i < rank; i++) {
                    dims[i] = in.readLong();
                    size *= dims[i];
                }
                int len = in.readInt();
                if (len < 0 || len != size || len > (1 << 28)) {
                    throw new IOException(arrays + ": corrupt (array " + key + ")");
                }
                float[] v = new float[len];
                for (int i = 0; i < len; i++) {
                    v[i] = Float.intBitsToFloat(in.readInt());
                }
                s.floats.put(key, v);
                s.shapes.put(key, new Shape(dims));
            }
            if (in.read() != -1) {
                throw new IOException(arrays + ": trailing data");
            }
        } catch (java.io.EOFException e) {
            throw new IOException(arrays + ": truncated", e);
        }
        return s;
    }
}
