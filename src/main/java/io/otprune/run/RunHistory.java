package io.otprune.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.otprune.prune.PruneConfig;
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
 * The pruning runs under a runs folder (docs/design.md §3), newest first: finished runs (run.json and summary.json,
 * which is written last) and interrupted ones (run.json without summary.json: killed, stopped, failed), which
 * {@link PruneRun#resume} continues. Foreign folders are counted, not listed; one unreadable folder never hides the
 * others.
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

    /**
     * A run folder without summary.json: what it was asked and how far it got ({@code progress}: "prune epoch 1 of
     * 2", or that no epoch finished, when resuming starts it again).
     */
    public record Interrupted(Path dir, String name, Instant modified, String model, String data, String method,
            String granularity, double sparsity, String progress) {}

    /** The listing: finished runs, interrupted runs, newest first, and how many folders were skipped. */
    public record Listing(List<Entry> runs, List<Interrupted> interrupted, int skipped) {
        public Listing(List<Entry> runs, int skipped) {
            this(runs, List.of(), skipped);
        }
    }

    /** What a folder is. */
    public enum Kind { FINISHED, INTERRUPTED, NOT_A_RUN }

    /** A folder's kind and, in words, why (not a run) or how far it got (interrupted). */
    public record State(Kind kind, String detail) {}

    /**
     * Finished when summary.json reads as a summary (it is written last, atomically); interrupted when run.json
     * reads and summary.json is absent; otherwise not a run.
     */
    public static State state(Path dir) {
        if (!Files.isDirectory(dir)) {
            return new State(Kind.NOT_A_RUN, "no such folder");
        }
        PruneRunConfig cfg;
        try {
            cfg = config(dir);
        } catch (IOException e) {
            return new State(Kind.NOT_A_RUN, e.getMessage());
        }
        Path summary = dir.resolve(RunDirectory.SUMMARY);
        if (Files.exists(summary)) {
            return read(dir) != null ? new State(Kind.FINISHED, "finished")
                    : new State(Kind.NOT_A_RUN, summary + " is not a run summary");
        }
        var st = Checkpoint.readState(dir);
        String progress;
        try {
            progress = st == null ? "no epoch finished (resume starts it again)" : Checkpoint.describe(st, cfg);
        } catch (RuntimeException e) {
            progress = "unreadable checkpoint (resume starts it again)";
        }
        return new State(Kind.INTERRUPTED, progress);
    }

    /** The run's config from its run.json; an IOException names the file when it is missing or malformed. */
    public static PruneRunConfig config(Path dir) throws IOException {
        Path run = dir.resolve(RunDirectory.RUN_JSON);
        if (!Files.isRegularFile(run)) {
            throw new IOException("no " + RunDirectory.RUN_JSON + " in " + dir);
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(run)).getAsJsonObject();
            PruneRunConfig cfg = Json.PRETTY.fromJson(o.get("config"), PruneRunConfig.class);
            if (cfg == null || cfg.model() == null || cfg.prune() == null || cfg.prune().method() == null) {
                throw new IOException(run + ": not a pruning run's config");
            }
            return cfg;
        } catch (RuntimeException e) {
            throw new IOException(run + ": not a pruning run's config (" + e.getMessage() + ")", e);
        }
    }

    private RunHistory() {}

    /** Scans {@code root}'s direct sub-folders; a missing root is an empty history. */
    public static Listing scan(Path root) {
        List<Entry> out = new ArrayList<>();
        List<Interrupted> broken = new ArrayList<>();
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
            if (e != null) {
                out.add(e);
                continue;
            }
            Interrupted i = interrupted(d);
            if (i != null) {
                broken.add(i);
            } else {
                skipped++;
            }
        }
        out.sort(Comparator.comparing(Entry::finished).reversed().thenComparing(Entry::name));
        broken.sort(Comparator.comparing(Interrupted::modified).reversed().thenComparing(Interrupted::name));
        return new Listing(List.copyOf(out), List.copyOf(broken), skipped);
    }

    /** One interrupted run folder, or null when it is finished or not a run. */
    public static Interrupted interrupted(Path dir) {
        try {
            State s = state(dir);
            if (s.kind() != Kind.INTERRUPTED) {
                return null;
            }
            PruneRunConfig cfg = config(dir);
            return new Interrupted(dir, dir.getFileName().toString(),
                    Files.getLastModifiedTime(dir.resolve(RunDirectory.RUN_JSON)).toInstant(), cfg.model(),
                    cfg.data(), PruneConfig.word(cfg.prune().method()), PruneConfig.word(cfg.prune().granularity()),
                    cfg.prune().sparsity(), s.detail());
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
