package io.otprune.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.otprune.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The finished pruning runs under a runs folder (each a folder with run.json and summary.json, docs/design.md §3),
 * newest first. Folders that are not finished runs (cancelled, failed, foreign) are counted, not listed; one
 * unreadable folder never hides the others.
 */
public final class RunHistory {
    /** One finished run: where it is, what it was asked, and what it achieved. */
    public record Entry(Path dir, String name, Instant finished, String model, String data, PruneSummary summary) {
        /** What runs are compared by: model file name, method and granularity (and budget when not count). */
        public String seriesKey() {
            String b = summary.budget() == null || summary.budget().equalsIgnoreCase("count") ? ""
                    : " " + summary.budget().toLowerCase(java.util.Locale.ROOT);
            return Path.of(model).getFileName() + " · " + summary.method().toLowerCase(java.util.Locale.ROOT) + " · "
                    + summary.granularity().toLowerCase(java.util.Locale.ROOT) + b;
        }
    }

    /** The listing: finished runs, newest first, and how many folders were skipped. */
    public record Listing(List<Entry> runs, int skipped) {}

    private RunHistory() {}

    /** Scans {@code root}'s direct sub-folders; a missing root is an empty history. */
    public static Listing scan(Path root) {
        List<Entry> out = new ArrayList<>();
        int skipped = 0;
        if (!Files.isDirectory(root)) {
            return new Listing(List.of(), 0);
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return new Listing(List.of(), 0);
        }
        for (Path d : dirs) {
            Entry e = read(d);
            if (e == null) {
                skipped++;
            } else {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(Entry::finished).reversed().thenComparing(Entry::name));
        return new Listing(List.copyOf(out), skipped);
    }

    /** One run folder, or null when it is not a finished, readable run. */
    public static Entry read(Path dir) {
        Path summary = dir.resolve(RunDirectory.SUMMARY);
        Path run = dir.resolve(RunDirectory.RUN_JSON);
        if (!Files.isRegularFile(summary) || !Files.isRegularFile(run)) {
            return null;
        }
        try {
            PruneSummary s = Json.PRETTY.fromJson(Files.readString(summary), PruneSummary.class);
            JsonObject cfg = JsonParser.parseString(Files.readString(run)).getAsJsonObject().getAsJsonObject("config");
            if (s == null || s.method() == null || s.granularity() == null || cfg == null || !cfg.has("model")) {
                return null;
            }
            String data = cfg.has("data") ? cfg.get("data").getAsString() : "";
            return new Entry(dir, dir.getFileName().toString(), Files.getLastModifiedTime(summary).toInstant(),
                    cfg.get("model").getAsString(), data, s);
        } catch (IOException | RuntimeException e) {
            return null; // a half-written or foreign folder: skipped and counted
        }
    }
}
