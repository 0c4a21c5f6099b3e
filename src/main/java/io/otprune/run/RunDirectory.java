package io.otprune.run;

import io.otprune.train.RunEvent;
import io.otprune.util.Files2;
import io.otprune.util.Json;
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
    /** Each event line goes out in one write of its bytes, so a killed process leaves whole lines. */
    private final java.nio.channels.FileChannel metrics;
    private long metricsBytes;

    private RunDirectory(Path dir) throws IOException {
        this.dir = dir;
        this.metrics = java.nio.channels.FileChannel.open(dir.resolve(METRICS), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    private RunDirectory(Path dir, long metricsBytes) throws IOException {
        this.dir = dir;
        Path m = dir.resolve(METRICS);
        long size = Files.exists(m) ? Files.size(m) : -1;
        if (size < metricsBytes) {
            throw new IOException(m + " is shorter (" + size + " bytes) than when the checkpoint was written ("
                    + metricsBytes + " bytes)");
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(m, StandardOpenOption.WRITE)) {
            ch.truncate(metricsBytes);
        }
        this.metricsBytes = metricsBytes;
        this.metrics = java.nio.channels.FileChannel.open(m, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /**
     * Reopens the folder of an interrupted run to continue it: metrics.jsonl is cut back to the {@code metricsBytes}
     * it had when the checkpoint was written (what came after is written again by the resumed run), and a model
     * folder or temporary files from the interrupted end are removed.
     */
    public static RunDirectory reopen(Path dir, long metricsBytes) throws IOException {
        Files2.deleteRecursively(dir.resolve(MODEL_DIR));
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("." + MODEL_DIR + ".") || (n.startsWith(".") && n.endsWith(".tmp"))) {
                    Files2.deleteRecursively(p);
                }
            }
        }
        Files.deleteIfExists(dir.resolve(SUMMARY));
        return new RunDirectory(dir, metricsBytes);
    }

    /** Bytes of metrics.jsonl written so far (all flushed). */
    public synchronized long metricsBytes() {
        return metricsBytes;
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
            Checkpoint.removeAll(dir); // another run's checkpoint must never be resumed with this run.json
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
            byte[] bytes = (Json.COMPACT.toJson(line) + "\n").getBytes(StandardCharsets.UTF_8);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                metrics.write(buf);
            }
            metricsBytes += bytes.length;
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
