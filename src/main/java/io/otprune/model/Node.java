package io.otprune.model;

import com.google.gson.JsonDeserializationContext;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonSerializationContext;
import com.google.gson.JsonSerializer;
import com.google.gson.annotations.JsonAdapter;
import java.lang.reflect.Type;
import java.util.List;

/**
 * A named node of a {@link Graph}: an op applied to the outputs of earlier nodes ({@link Graph#INPUT} names the
 * network's input). In model.json the op is an object with its attributes and {@code "type"}.
 */
public record Node(String name, @JsonAdapter(Node.OpJson.class) Op op, List<String> inputs) {
    public Node {
        if (name == null || name.isBlank() || op == null || inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("a node needs a name, an op and inputs: " + name);
        }
        inputs = List.copyOf(inputs);
    }

    public Node(String name, Op op, String... inputs) {
        this(name, op, List.of(inputs));
    }

    /** The first (for most ops the only) input. */
    public String input() {
        return inputs.get(0);
    }

    /** Op ↔ {"type": "conv", ...attributes}. */
    static final class OpJson implements JsonSerializer<Op>, JsonDeserializer<Op> {
        @Override
        public JsonElement serialize(Op op, Type t, JsonSerializationContext ctx) {
            JsonObject o = new JsonObject();
            o.addProperty("type", op.type());
            ctx.serialize(op).getAsJsonObject().entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
            return o;
        }

        @Override
        public Op deserialize(JsonElement json, Type t, JsonDeserializationContext ctx) {
            JsonObject o = json.getAsJsonObject();
            String type = o.has("type") ? o.get("type").getAsString() : null;
            Class<? extends Op> c = Ops.TYPES.get(type);
            if (c == null) {
                throw new JsonParseException("unknown op type '" + type + "' (known: " + Ops.TYPES.keySet() + ")");
            }
            return ctx.deserialize(o, c);
        }
    }
}
