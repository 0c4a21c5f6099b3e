package io.otprune.model;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The attributes of one ONNX node by name, read with the defaults the ONNX operator specs give. */
final class OnnxAttributes {
    private final Map<String, AttributeProto> byName = new HashMap<>();

    OnnxAttributes(NodeProto node) {
        for (AttributeProto a : node.getAttributeList()) {
            byName.put(a.getName(), a);
        }
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    Set<String> names() {
        return byName.keySet();
    }

    long i(String name, long dflt) {
        AttributeProto a = byName.get(name);
        return a == null ? dflt : a.getI();
    }

    float f(String name, float dflt) {
        AttributeProto a = byName.get(name);
        return a == null ? dflt : a.getF();
    }

    String s(String name, String dflt) {
        AttributeProto a = byName.get(name);
        return a == null ? dflt : a.getS().toString(StandardCharsets.UTF_8);
    }

    /** An integer list, or {@code dflt} (may be null) when absent. */
    long[] ints(String name, long[] dflt) {
        AttributeProto a = byName.get(name);
        return a == null ? dflt : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    float[] floats(String name) {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return null;
        }
        float[] v = new float[a.getFloatsCount()];
        for (int k = 0; k < v.length; k++) {
            v[k] = a.getFloats(k);
        }
        return v;
    }

    /** A tensor attribute (Constant's value), or null. */
    OnnxConstant tensor(String name) {
        AttributeProto a = byName.get(name);
        return a == null || !a.hasT() ? null : OnnxConstant.read(a.getT());
    }
}
