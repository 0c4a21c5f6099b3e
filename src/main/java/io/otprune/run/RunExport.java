package io.otprune.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.otprune.util.Files2;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Exports from a run folder: the model to another folder, the metrics as CSV. Nothing is overwritten. */
public final class RunExport {
    private RunExport() {}

    /** Copies a model folder to {@code target}, which must not exist or be empty; the copy is made beside it first. */
    public static void copyModel(Path modelDir, Path target) throws IOException {
        if (!Files.isRegularFile(modelDir.resolve("model.json"))) {
            throw new IOException(modelDir + " is not a model folder");
        }
        if (!Files2.isAbsentOrEmptyDir(target)) {
            throw new IOException(target + " exists and is not empty (models are never overwritten)");
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".copy-");
        try {
            try (Stream<Path> files = Files.list(modelDir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, tmp.resolve(f.getFileName()));
                }
            }
            Files2.shareable(tmp);
            Files.deleteIfExists(target);
            Files.move(tmp, target);
        } finally {
            Files2.deleteRecursively(tmp);
        }
    }

    /**
     * Writes the events of one type (e.g. "step", "epoch", "prune") from metrics.jsonl as CSV: one column per scalar
     * field, in order of first appearance, a nested object's fields as {@code field.part} (an epoch's
     * {@code split.method}); list-valued fields are left out.
     */
    public static void metricsCsv(Path metricsJsonl, String type, Path csv) throws IOException {
        List<JsonObject> rows = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        for (String line : Files.readAllLines(metricsJsonl, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject o = flat(JsonParser.parseString(line).getAsJsonObject());
            if (!o.has("type") || !o.get("type").getAsString().equals(type)) {
                continue;
            }
            rows.add(o);
            for (var e : o.entrySet()) {
                if (e.getValue().isJsonPrimitive()) {
                    columns.add(e.getKey());
                }
            }
        }
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (JsonObject o : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                JsonElement v = o.get(c);
                String s = v == null || !v.isJsonPrimitive() ? "" : v.getAsString();
                cells.add(s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        Files2.writeAtomically(csv, sb.toString());
    }

    /** The object with each nested object's fields lifted to the top as {@code field.part}. */
    private static JsonObject flat(JsonObject o) {
        JsonObject out = new JsonObject();
        for (var e : o.entrySet()) {
            if (e.getValue().isJsonObject()) {
                for (var inner : flat(e.getValue().getAsJsonObject()).entrySet()) {
                    out.add(e.getKey() + "." + inner.getKey(), inner.getValue());
                }
            } else {
                out.add(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
