package io.otprune.model;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A constant tensor of an ONNX graph (an initializer, a Constant node's value, or what folding made of them):
 * floating-point values as float32 (float16, bfloat16 and float64 weights are converted on reading, which is what
 * the {@code Cast(to=FLOAT)} that must follow them in a valid file computes), integer and boolean values as longs.
 *
 * <p>{@link #BATCH} stands for the batch size in the result of {@code Shape} on an activation: PyTorch's
 * {@code x.view(x.size(0), -1)} carries it through Gather, Unsqueeze and Concat into a Reshape, which reads it as
 * "the batch dimension". It never reaches arithmetic (which is not folded).
 *
 * @param dims   the shape ({} for a scalar)
 * @param type   the ONNX element type ({@link TensorProto.DataType} number)
 * @param floats the values of a floating-point tensor (null otherwise), C order
 * @param longs  the values of an integer or boolean tensor (null otherwise), C order
 */
record OnnxConstant(long[] dims, int type, float[] floats, long[] longs) {
    /** The symbolic batch size inside a folded shape. */
    static final long BATCH = Long.MIN_VALUE;

    static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    static final int INT64 = TensorProto.DataType.INT64_VALUE;

    OnnxConstant {
        dims = dims.clone();
        if ((floats == null) == (longs == null) || size(dims) != (floats != null ? floats.length : longs.length)) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(dims) + " with "
                    + (floats != null ? floats.length : longs == null ? 0 : longs.length) + " values");
        }
    }

    static OnnxConstant ofFloats(long[] dims, float[] v) {
        return new OnnxConstant(dims, FLOAT, v, null);
    }

    static OnnxConstant ofLongs(long[] dims, long[] v) {
        return new OnnxConstant(dims, INT64, null, v);
    }

    static long size(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    int size() {
        return floats != null ? floats.length : longs.length;
    }

    int rank() {
        return dims.length;
    }

    boolean isFloat() {
        return floats != null;
    }

    /** The values as floats (integers converted). */
    float[] asFloats() {
        if (floats != null) {
            return floats;
        }
        float[] f = new float[longs.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = longs[i];
        }
        return f;
    }

    /** The values as longs; throws for floating-point tensors, whose values are not indices or shapes. */
    long[] asLongs(String what) {
        if (longs == null) {
            throw new IllegalArgumentException(what + " must be an integer tensor");
        }
        return longs;
    }

    /** The one value of a scalar or one-element tensor. */
    double scalar(String what) {
        if (size() != 1) {
            throw new IllegalArgumentException(what + " must be a single value, got shape " + Arrays.toString(dims));
        }
        return floats != null ? floats[0] : longs[0];
    }

    /** A tensor of the same type with the values at {@code from[i]} (flat indices) in shape {@code newDims}. */
    OnnxConstant take(long[] newDims, int[] from) {
        if (floats != null) {
            float[] v = new float[from.length];
            for (int i = 0; i < from.length; i++) {
                v[i] = floats[from[i]];
            }
            return new OnnxConstant(newDims, type, v, null);
        }
        long[] v = new long[from.length];
        for (int i = 0; i < from.length; i++) {
            v[i] = longs[from[i]];
        }
        return new OnnxConstant(newDims, type, null, v);
    }

    /** The same values in another shape. */
    OnnxConstant reshaped(long[] newDims) {
        return new OnnxConstant(newDims, type, floats, longs);
    }

    /** Row-major strides of a shape. */
    static long[] strides(long[] dims) {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    // ---- reading and writing TensorProto ---------------------------------------------------------------------------

    /** Decodes an initializer or a Constant's value; throws IllegalArgumentException for what cannot be read. */
    static OnnxConstant read(TensorProto t) {
        String name = t.getName().isEmpty() ? "a constant" : "tensor '" + t.getName() + "'";
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new IllegalArgumentException(name + " is stored in an external file (save the model with its "
                    + "weights inside the .onnx file)");
        }
        if (t.hasSegment()) {
            throw new IllegalArgumentException(name + " is segmented, which is not supported");
        }
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(name + " has a negative dimension");
            }
        }
        long n = size(dims);
        if (n > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException(name + " is too large (" + n + " values)");
        }
        Encoded e = new Encoded(t, name, t.getDataType(), (int) n);
        return switch (e.type()) {
            case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.DOUBLE_VALUE,
                    TensorProto.DataType.FLOAT16_VALUE, TensorProto.DataType.BFLOAT16_VALUE ->
                    new OnnxConstant(dims, e.type(), floats(e), null);
            case TensorProto.DataType.INT64_VALUE, TensorProto.DataType.INT32_VALUE,
                    TensorProto.DataType.INT16_VALUE, TensorProto.DataType.UINT16_VALUE,
                    TensorProto.DataType.INT8_VALUE, TensorProto.DataType.UINT8_VALUE,
                    TensorProto.DataType.BOOL_VALUE -> new OnnxConstant(dims, e.type(), null, integers(e));
            default -> throw new IllegalArgumentException(name + " has element type " + typeName(e.type())
                    + ", which is not supported");
        };
    }

    /**
     * A tensor's values as stored: in raw little-endian bytes, or (when there are none) in the typed field of
     * its element type.
     */
    private record Encoded(TensorProto t, String name, int type, int count) {
        boolean hasRaw() {
            return !t.getRawData().isEmpty() || count == 0;
        }

        ByteBuffer raw(int width) {
            checkRaw(name, t.getRawData(), count, width);
            return t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** float, double, float16 and bfloat16 values as floats. */
    private static float[] floats(Encoded e) {
        TensorProto t = e.t();
        int count = e.count();
        float[] v = new float[count];
        switch (e.type()) {
            case TensorProto.DataType.FLOAT_VALUE -> {
                if (e.hasRaw()) {
                    e.raw(4).asFloatBuffer().get(v);
                } else {
                    checkTyped(e.name(), t.getFloatDataCount(), count);
                    for (int i = 0; i < count; i++) {
                        v[i] = t.getFloatData(i);
                    }
                }
            }
            case TensorProto.DataType.DOUBLE_VALUE -> {
                if (e.hasRaw()) {
                    ByteBuffer bb = e.raw(8);
                    for (int i = 0; i < count; i++) {
                        v[i] = (float) bb.getDouble(8 * i);
                    }
                } else {
                    checkTyped(e.name(), t.getDoubleDataCount(), count);
                    for (int i = 0; i < count; i++) {
                        v[i] = (float) t.getDoubleData(i);
                    }
                }
            }
            default -> { // float16 and bfloat16
                boolean half = e.type() == TensorProto.DataType.FLOAT16_VALUE;
                ByteBuffer bb = e.hasRaw() ? e.raw(2) : null;
                if (bb == null) {
                    checkTyped(e.name(), t.getInt32DataCount(), count); // 16-bit patterns, one per int32
                }
                for (int i = 0; i < count; i++) {
                    int bits = (bb != null ? bb.getShort(2 * i) : t.getInt32Data(i)) & 0xffff;
                    v[i] = half ? halfToFloat(bits) : Float.intBitsToFloat(bits << 16);
                }
            }
        }
        return v;
    }

    /** int64, int32, int16, uint16, int8, uint8 and bool values as longs. */
    private static long[] integers(Encoded e) {
        TensorProto t = e.t();
        int count = e.count();
        int type = e.type();
        long[] v = new long[count];
        if (type == TensorProto.DataType.INT64_VALUE) {
            if (e.hasRaw()) {
                e.raw(8).asLongBuffer().get(v);
            } else {
                checkTyped(e.name(), t.getInt64DataCount(), count);
                for (int i = 0; i < count; i++) {
                    v[i] = t.getInt64Data(i);
                }
            }
            return v;
        }
        if (!e.hasRaw()) {
            checkTyped(e.name(), t.getInt32DataCount(), count);
            for (int i = 0; i < count; i++) {
                v[i] = t.getInt32Data(i);
            }
            return v;
        }
        int width = switch (type) {
            case TensorProto.DataType.INT32_VALUE -> 4;
            case TensorProto.DataType.INT16_VALUE, TensorProto.DataType.UINT16_VALUE -> 2;
            default -> 1;
        };
        ByteBuffer bb = e.raw(width);
        for (int i = 0; i < count; i++) {
            v[i] = switch (type) {
                case TensorProto.DataType.INT32_VALUE -> bb.getInt(4 * i);
                case TensorProto.DataType.INT16_VALUE -> bb.getShort(2 * i);
                case TensorProto.DataType.UINT16_VALUE -> bb.getShort(2 * i) & 0xffff;
                case TensorProto.DataType.INT8_VALUE -> bb.get(i);
                default -> bb.get(i) & 0xff;
            };
        }
        return v;
    }

    private static void checkRaw(String name, ByteString raw, int count, int width) {
        if (raw.size() != (long) count * width) {
            throw new IllegalArgumentException(name + " holds " + raw.size() + " bytes for " + count + " values of "
                    + width + " bytes (truncated or corrupt)");
        }
    }

    private static void checkTyped(String name, int have, int count) {
        if (have != count) {
            throw new IllegalArgumentException(name + " holds " + have + " values for a shape of " + count);
        }
    }

    static String typeName(int type) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(type);
        return t == null ? "#" + type : t.name();
    }

    /** IEEE 754 half precision bits to float. */
    static float halfToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero)
            return sign == 0 ? v : -v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** A float32 tensor as an initializer (raw little-endian data, as exporters write them). */
    static TensorProto floatTensor(String name, long[] dims, float[] values) {
        ByteBuffer bb = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(values);
        return TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .addAllDims(Arrays.stream(dims).boxed().toList()).setRawData(ByteString.copyFrom(bb.array())).build();
    }

    /** An int64 tensor as an initializer. */
    static TensorProto longTensor(String name, long[] dims, long[] values) {
        ByteBuffer bb = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.asLongBuffer().put(values);
        return TensorProto.newBuilder().setName(name).setDataType(INT64)
                .addAllDims(Arrays.stream(dims).boxed().toList()).setRawData(ByteString.copyFrom(bb.array())).build();
    }
}
