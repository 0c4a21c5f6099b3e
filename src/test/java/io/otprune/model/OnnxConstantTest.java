package io.otprune.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Every element type an ONNX tensor can hold, in raw bytes and in its typed field, decoded to the same values. */
class OnnxConstantTest {
    private static TensorProto.Builder tensor(int type, int count) {
        return TensorProto.newBuilder().setName("t").setDataType(type).addDims(count);
    }

    private static ByteString bytes(int width, int count, java.util.function.BiConsumer<ByteBuffer, Integer> put) {
        ByteBuffer bb = ByteBuffer.allocate(width * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            put.accept(bb, i);
        }
        return ByteString.copyFrom(bb.array());
    }

    @Test
    void floatingTypesRawAndTyped() {
        float[] want = {1.5f, -2.25f, 0f};
        TensorProto.Builder f = tensor(TensorProto.DataType.FLOAT_VALUE, 3);
        assertThat(OnnxConstant.read(f.clone().setRawData(bytes(4, 3, (b, i) -> b.putFloat(want[i]))).build())
                .floats()).containsExactly(want);
        assertThat(OnnxConstant.read(f.clone().addFloatData(1.5f).addFloatData(-2.25f).addFloatData(0f).build())
                .floats()).containsExactly(want);
        TensorProto.Builder d = tensor(TensorProto.DataType.DOUBLE_VALUE, 3);
        assertThat(OnnxConstant.read(d.clone().setRawData(bytes(8, 3, (b, i) -> b.putDouble(want[i]))).build())
                .floats()).containsExactly(want);
        assertThat(OnnxConstant.read(d.clone().addDoubleData(1.5).addDoubleData(-2.25).addDoubleData(0).build())
                .floats()).containsExactly(want);
        // float16: 1.5 = 0x3E00, -2.25 = 0xC080, 0 = 0; bfloat16: the float's upper 16 bits
        int[] half = {0x3E00, 0xC080, 0};
        TensorProto.Builder h = tensor(TensorProto.DataType.FLOAT16_VALUE, 3);
        assertThat(OnnxConstant.read(h.clone().setRawData(bytes(2, 3, (b, i) -> b.putShort((short) half[i])))
                .build()).floats()).containsExactly(want);
        assertThat(OnnxConstant.read(h.clone().addInt32Data(half[0]).addInt32Data(half[1]).addInt32Data(half[2])
                .build()).floats()).containsExactly(want);
        TensorProto.Builder bf = tensor(TensorProto.DataType.BFLOAT16_VALUE, 3);
        assertThat(OnnxConstant.read(bf.clone().setRawData(bytes(2, 3,
                (b, i) -> b.putShort((short) (Float.floatToIntBits(want[i]) >>> 16)))).build()).floats())
                .containsExactly(want);
    }

    @Test
    void integerTypesRawAndTyped() {
        long[] want = {-3, 7, 0};
        TensorProto.Builder l = tensor(TensorProto.DataType.INT64_VALUE, 3);
        assertThat(OnnxConstant.read(l.clone().setRawData(bytes(8, 3, (b, i) -> b.putLong(want[i]))).build())
                .longs()).containsExactly(want);
        assertThat(OnnxConstant.read(l.clone().addInt64Data(-3).addInt64Data(7).addInt64Data(0).build()).longs())
                .containsExactly(want);
        assertThat(OnnxConstant.read(tensor(TensorProto.DataType.INT32_VALUE, 3)
                .setRawData(bytes(4, 3, (b, i) -> b.putInt((int) want[i]))).build()).longs()).containsExactly(want);
        assertThat(OnnxConstant.read(tensor(TensorProto.DataType.INT32_VALUE, 3).addInt32Data(-3).addInt32Data(7)
                .addInt32Data(0).build()).longs()).containsExactly(want);
        assertThat(OnnxConstant.read(tensor(TensorProto.DataType.INT16_VALUE, 3)
                .setRawData(bytes(2, 3, (b, i) -> b.putShort((short) want[i]))).build()).longs()).containsExactly(want);
        assertThat(OnnxConstant.read(tensor(TensorProto.DataType.INT8_VALUE, 3)
                .setRawData(bytes(1, 3, (b, i) -> b.put((byte) want[i]))).build()).longs()).containsExactly(want);
        // unsigned: the byte 0xFD and the short 0xFFFD are 253 and 65533, not -3
        assertThat(OnnxConstant.read(tensor(TensorProto.DataType.UINT8_VALUE, 3)
                .setRawData(bytes(1, 3, (b, i) -> b.put((byte) want[i]))).build()).longs())
                .containsExactly(253, 7, 0);
        assertThat(OnnxConstant.read(tensor(TensorProto.DataType.UINT16_VALUE, 3)
                .setRawData(bytes(2, 3, (b, i) -> b.putShort((short) want[i]))).build()).longs())
                .containsExactly(65533, 7, 0);
        assertThat(OnnxConstant.read(tensor(TensorProto.DataType.BOOL_VALUE, 2)
                .setRawData(ByteString.copyFrom(new byte[] {1, 0})).build()).longs()).containsExactly(1, 0);
    }

    @Test
    void wrongSizesAndTypesAreClearErrors() {
        assertThatThrownBy(() -> OnnxConstant.read(tensor(TensorProto.DataType.FLOAT_VALUE, 3)
                .setRawData(ByteString.copyFrom(new byte[8])).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tensor 't' holds 8 bytes");
        assertThatThrownBy(() -> OnnxConstant.read(tensor(TensorProto.DataType.DOUBLE_VALUE, 3).addDoubleData(1)
                .build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tensor 't'");
        assertThatThrownBy(() -> OnnxConstant.read(tensor(TensorProto.DataType.STRING_VALUE, 1).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not supported");
        assertThat(OnnxConstant.read(tensor(TensorProto.DataType.FLOAT_VALUE, 0).build()).floats()).isEmpty();
    }
}
