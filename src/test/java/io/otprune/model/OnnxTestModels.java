package io.otprune.model;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Small ONNX models written by hand, for what the fixtures do not cover. */
final class OnnxTestModels {
    private OnnxTestModels() {}

    static ValueInfoProto value(String name, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            s.addDim(d instanceof String p ? TensorShapeProto.Dimension.newBuilder().setDimParam(p)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return v;
    }

    static AttributeProto ints(String name, long... v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(Arrays.stream(v).boxed().toList()).build();
    }

    static AttributeProto string(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }

    static ModelProto model(GraphProto.Builder g, int opset) {
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(g).build();
    }

    /** input [N,3,8,8] → Conv 3→4 3x3 (with {@code convAttrs}) → y. */
    static GraphProto.Builder conv(AttributeProto... convAttrs) {
        return GraphProto.newBuilder().setName("g").addInput(value("x", "N", 3, 8, 8))
                .addInitializer(OnnxConstant.floatTensor("w", new long[] {4, 3, 3, 3}, random(108, 1)))
                .addInitializer(OnnxConstant.floatTensor("b", new long[] {4}, random(4, 2)))
                .addNode(NodeProto.newBuilder().setOpType("Conv").setName("conv").addInput("x").addInput("w")
                        .addInput("b").addOutput("y").addAllAttribute(Arrays.asList(convAttrs)));
    }

    /** A conv, then one node named {@code name} of {@code op} (Transpose: NHWC; others: default attributes). */
    static ModelProto convThen(String op, String name, int opset) {
        GraphProto.Builder g = conv(ints("pads", 1, 1, 1, 1));
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addInput("y").addOutput("z");
        if (op.equals("Transpose")) {
            n.addAttribute(ints("perm", 0, 2, 3, 1));
        }
        return model(g.addNode(n).addOutput(value("z", "N", 4, 8, 8)), opset);
    }

    /** A conv with its own attributes, and the output it gives. */
    static ModelProto convOnly(int outH, int outW, AttributeProto... attrs) {
        return model(conv(attrs).addOutput(value("y", "N", 4, outH, outW)), 13);
    }
}
