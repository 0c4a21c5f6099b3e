package io.otprune.run;

import io.otprune.train.RunEvent;
import io.otprune.util.Files2;
import io.otprune.util.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The folder a run writes (docs/design.md §3): run.json (config + versions), metrics.jsonl (one event per line, flushed
 * as it goes so a crash keeps what came before), summary.json, model/.
 */
public final class RunDirectory implements AutoCloseable {
    public static final String RUN_JSON = "run.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String SUMMARY = "summary.json";
    public static final String MODEL_DIR = "model";

    private final Path dir;
    private final BufferedWriter metrics;

    private RunDirectory(Path dir) throws IOException {
        this.dir = dir;
        this.metrics = Files.newBufferedWriter(dir.resolve(METRICS), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    /**
     * Creates the run folder. An existing non-empty folder is refused unless {@code force}, in which case its
     * previous run files are replaced (other files are left alone).
     */
    public static RunDirectory create(Path dir, boolean force) throws IOException {
        if (!force && !Files2.isAbsentOrEmptyDir(dir)) {
            throw new OutputExistsException(dir);
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + " exists and is not a folder");
        }
        Files.createDirectories(dir);
        if (force) {
            Files2.deleteRecursively(dir.resolve(MODEL_DIR));
            Files.deleteIfExists(dir.resolve(SUMMARY));
        }
        return new RunDirectory(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path modelDir() {
        return dir.resolve(MODEL_DIR);
    }

    public void writeRunJson(Object config, Map<String, String> versions) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", config);
        m.put("versions", versions);
        Files2.writeAtomically(dir.resolve(RUN_JSON), Json.PRETTY.toJson(m) + "\n");
    }

    /** Appends one event as a JSON line {"type": ..., ...fields} and flushes it. */
    public synchronized void append(RunEvent e) {
        if (!e.persisted()) {
            return;
        }
        try {
            var obj = Json.COMPACT.toJsonTree(e).getAsJsonObject();
            var line = new com.google.gson.JsonObject();
            line.addProperty("type", e.type());
            line.addProperty("time", System.currentTimeMillis());
            obj.entrySet().forEach(en -> line.add(en.getKey(), en.getValue()));
            metrics.write(Json.COMPACT.toJson(line));
            metrics.newLine();
            metrics.flush();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(dir.resolve(METRICS) + ": cannot write", ex);
        }
    }

    /** A consumer that appends each event here, then hands it to {@code listener}. */
    public java.util.function.Consumer<RunEvent> events(java.util.function.Consumer<RunEvent> listener) {
        return e -> {
            append(e);
            listener.accept(e);
        };
    }

    public void writeSummary(Object summary) throws IOException {
        Files2.writeAtomically(dir.resolve(SUMMARY), Json.PRETTY.toJson(summary) + "\n");
    }

    @Override
    public void close() throws IOException {
        metrics.close();
    }

    /** The output folder exists and is not empty, and --force was not given. */
    public static final class OutputExistsException extends IOException {
        private static final long serialVersionUID = 1L;

        public OutputExistsException(Path dir) {
            super("output folder " + dir + " exists and is not empty (choose another, or pass --force)");
        }
    }
}
