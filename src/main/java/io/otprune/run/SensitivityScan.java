package io.otprune.run;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.otprune.data.DataOptions;
import io.otprune.data.Dataset;
import io.otprune.data.DatasetException;
import io.otprune.data.Datasets;
import io.otprune.data.ImageSet;
import io.otprune.data.ImageShape;
import io.otprune.data.Subsets;
import io.otprune.model.Graph;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelInfo;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import io.otprune.prune.Problem;
import io.otprune.prune.Problems;
import io.otprune.prune.PruneConfig;
import io.otprune.prune.PruneMethod;
import io.otprune.prune.PruneUnits;
import io.otprune.prune.Selection;
import io.otprune.prune.UnitSet;
import io.otprune.train.Devices;
import io.otprune.train.Evaluation;
import io.otprune.train.GradMode;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import io.otprune.util.Files2;
import io.otprune.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Per-layer sensitivity: for each unit set (a layer's weights, or a channel group), the accuracy when only that set
 * is pruned, one-shot by magnitude ({@link PruneMethod#selectAtOnce}, the magnitude method's own selection), at
 * several sparsities, on a seeded subset of the <em>training</em> data (the test set stays unseen by anything that
 * chooses a run's settings). The masks go on the forward pass only ({@link UnitSet#installMask}), so the loaded
 * weights never change and the model's files are never written; the result is saved next to them in
 * {@value #FILE}, keyed by what it measured, so the same scan is read back instead of recomputed.
 */
public final class SensitivityScan {
    /** The scans of a model, in its folder. */
    public static final String FILE = "sensitivity.json";

    public static final List<Double> DEFAULT_SPARSITIES = List.of(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95);

    private SensitivityScan() {}

    /**
     * What a scan measures; two scans with equal settings (and the same weights) are the same scan.
     *
     * @param data        data set id or folder; the subset is drawn from its training part
     * @param granularity unstructured (one row per layer) or structured (one row per channel group)
     * @param subset      training images evaluated (all of them when the training part is smaller)
     * @param seed        seed of the subset's draw
     * @param sparsities  increasing, in (0, 1)
     */
    public record Settings(String data, PruneConfig.Granularity granularity, int subset, long seed,
            List<Double> sparsities) {
        public Settings {
            if (data == null || granularity == null) {
                throw new IllegalArgumentException("a scan needs a data set and a granularity");
            }
            if (granularity == PruneConfig.Granularity.DEPTH) {
                throw new IllegalArgumentException("a sensitivity scan is per layer or channel group: use "
                        + "--granularity unstructured or structured");
            }
            if (subset < 1) {
                throw new IllegalArgumentException("the subset must hold at least one image, got " + subset);
            }
            if (sparsities == null || sparsities.isEmpty()) {
                throw new IllegalArgumentException("a scan needs at least one sparsity");
            }
            for (int k = 0; k < sparsities.size(); k++) {
                double s = sparsities.get(k);
                if (!(s > 0 && s < 1) || (k > 0 && !(s > sparsities.get(k - 1)))) {
                    throw new IllegalArgumentException("sparsities must increase within (0, 1), got " + sparsities);
                }
            }
            sparsities = List.copyOf(sparsities);
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Defaults: fashion-mnist-small, unstructured, 1,000 images, seed 1, {@link #DEFAULT_SPARSITIES}. */
        public static final class Builder {
            private String data = Datasets.FASHION_SMALL;
            private PruneConfig.Granularity granularity = PruneConfig.Granularity.UNSTRUCTURED;
            private int subset = 1000;
            private long seed = 1;
            private List<Double> sparsities = DEFAULT_SPARSITIES;

            private Builder() {}

            public Builder data(String v) { data = v; return this; }
            public Builder granularity(PruneConfig.Granularity v) { granularity = v; return this; }
            public Builder subset(int v) { subset = v; return this; }
            public Builder seed(long v) { seed = v; return this; }
            public Builder sparsities(List<Double> v) { sparsities = v; return this; }

            public Settings build() {
                return new Settings(data, granularity, subset, seed, sparsities);
            }
        }
    }

    /** One unit set's accuracies, one per sparsity of the scan. */
    public record Row(String set, int units, List<Double> accuracy) {}

    /**
     * A finished scan.
     *
     * @param modelSha256 digest of the weights it measured (a scan of other weights is not reused)
     * @param images      images actually evaluated (the subset, or the whole training part if smaller)
     * @param dense       accuracy of the unpruned model on the same images
     */
    public record Result(Settings settings, String modelSha256, int images, double dense, List<Row> rows,
            double seconds, String createdAt) {

        /** Accuracy drop in points (100 × (dense − accuracy)) of row {@code r} at sparsity index {@code k}. */
        public double dropPoints(int r, int k) {
            return 100 * (dense - rows.get(r).accuracy().get(k));
        }

        /**
         * Per-set floors of the kept fraction from a tolerated drop in points: 1 − the largest sparsity up to
         * which every scanned sparsity stays within the tolerance (the prefix, so a noisy dip past a bad sparsity
         * does not count as safe); a set whose smallest scanned sparsity already drops too much is kept whole
         * (floor 1: the scan says nothing about sparsities below it).
         */
        public Map<String, Double> floors(double tolerancePoints) {
            if (!(tolerancePoints >= 0)) {
                throw new IllegalArgumentException("the tolerated drop must be >= 0 points, got " + tolerancePoints);
            }
            Map<String, Double> out = new TreeMap<>();
            for (int r = 0; r < rows.size(); r++) {
                double safe = 0;
                for (int k = 0; k < settings.sparsities().size(); k++) {
                    if (dropPoints(r, k) > tolerancePoints + 1e-9) {
                        break;
                    }
                    safe = settings.sparsities().get(k);
                }
                // 1 - 0.7 is 0.30000000000000004: round to what a person would write
                out.put(rows.get(r).set(), Math.round((1 - safe) * 1e6) / 1e6);
            }
            return out;
        }

        /**
         * The most protective floors a run can meet: the smallest tolerated drop, at least {@code fromPoints}, whose
         * {@link #floors} the run of {@code pc} (its own floors ignored) on {@code graph} accepts, found among the
         * drops the scan measured (the floors only change there) by bisection, since raising the tolerance only
         * lowers floors. A 1-point tolerance of a one-shot scan protects more than a high sparsity leaves room for;
         * this is the tolerance that spends the budget on the fragile sets first and leaves the rest to the method.
         *
         * @throws Selection.BudgetException when even the lowest floors the scan can give (1 − its largest sparsity
         *                                   in every set) do not fit, or the budget cannot be met without floors
         */
        public Fit fitFloors(Graph graph, PruneConfig pc, double fromPoints) {
            if (settings.granularity() != pc.granularity()) {
                throw new IllegalArgumentException("the scan is of " + PruneConfig.word(settings.granularity())
                        + " units, the run prunes " + PruneConfig.word(pc.granularity()) + " units: scan with "
                        + "--granularity " + pc.granularity().name().toLowerCase(Locale.ROOT));
            }
            PruneConfig bare = pc.toBuilder().minKept(Map.of()).build();
            PruneRun.validate(graph, bare);
            java.util.TreeSet<Double> candidates = new java.util.TreeSet<>();
            candidates.add(Math.max(0, fromPoints));
            for (int r = 0; r < rows.size(); r++) {
                for (int k = 0; k < settings.sparsities().size(); k++) {
                    double d = dropPoints(r, k);
                    if (d > fromPoints) {
                        candidates.add(d);
                    }
                }
            }
            List<Double> t = new ArrayList<>(candidates);
            int lo = 0, hi = t.size() - 1;
            if (!fits(graph, bare, floors(t.get(hi)))) {
                throw new Selection.BudgetException(String.format(Locale.ROOT, "no floors of this scan fit sparsity "
                        + "%s: even its lowest (every set keeps %s, 1 − the largest sparsity scanned) keep more than "
                        + "the budget; scan higher sparsities (--sparsities …,0.98,0.99)", pc.sparsity(),
                        floors(t.get(hi)).values().stream().min(Double::compare).orElse(1.0)));
            }
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (fits(graph, bare, floors(t.get(mid)))) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return new Fit(t.get(lo), floors(t.get(lo)));
        }

        private static boolean fits(Graph graph, PruneConfig bare, Map<String, Double> floors) {
            try {
                PruneRun.validate(graph, bare.toBuilder().minKept(floors).build());
                return true;
            } catch (Selection.BudgetException e) {
                return false;
            }
        }

        /** One line per set and sparsity: set, units, sparsity, accuracy, dense accuracy, drop in points. */
        public String csv() {
            StringBuilder b = new StringBuilder("set,units,sparsity,accuracy,dense_accuracy,drop_points\n");
            for (int r = 0; r < rows.size(); r++) {
                Row row = rows.get(r);
                for (int k = 0; k < settings.sparsities().size(); k++) {
                    b.append(csvField(row.set())).append(',').append(row.units()).append(',')
                            .append(settings.sparsities().get(k)).append(',')
                            .append(String.format(Locale.ROOT, "%.6f,%.6f,%.4f", row.accuracy().get(k), dense,
                                    dropPoints(r, k))).append('\n');
                }
            }
            return b.toString();
        }

        /** The scan as JSON with the floors at a tolerance ({@code otprune prune --floors} reads them back). */
        public String json(double tolerancePoints) {
            JsonObject o = Json.PRETTY.toJsonTree(this).getAsJsonObject();
            o.addProperty("tolerancePoints", tolerancePoints);
            o.add("floors", Json.PRETTY.toJsonTree(floors(tolerancePoints)));
            return Json.PRETTY.toJson(o) + "\n";
        }
    }

    /** Floors and the tolerated drop in points they were taken at. */
    public record Fit(double tolerancePoints, Map<String, Double> floors) {}

    /** A scan file written by {@code otprune sensitivity --out}: the scan and the tolerance its floors were set at. */
    public record ScanFile(Result scan, double tolerancePoints) {}

    /** Reads a scan's JSON (for fitting floors to a run's budget); a file without a scan is refused. */
    public static ScanFile readScan(Path file) throws IOException {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Result r = Json.PRETTY.fromJson(text, Result.class);
            if (r != null && r.settings() != null && r.rows() != null && !r.rows().isEmpty()) {
                JsonObject o = JsonParser.parseString(text).getAsJsonObject();
                return new ScanFile(r, o.has("tolerancePoints") ? o.get("tolerancePoints").getAsDouble() : 0);
            }
        } catch (RuntimeException e) {
            // refused below, in one line
        }
        throw new IllegalArgumentException(file + " holds no scan (write one with otprune sensitivity --out)");
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /**
     * The model's saved scan with these settings, or runs it and saves it ({@link #save}; a folder that cannot be
     * written gets a warning event, the result is returned all the same).
     */
    public static Result scan(Path modelDir, Settings settings, String device, Consumer<RunEvent> events,
            RunControl control) throws IOException, DatasetException, ModelFormatException, RunCancelledException {
        Result saved = load(modelDir, settings);
        if (saved != null) {
            events.accept(new RunEvent.Message("info", "read the saved scan from " + modelDir.resolve(FILE)));
            return saved;
        }
        Result r = compute(modelDir, settings, device, events, control);
        try {
            save(modelDir, r);
        } catch (IOException e) {
            events.accept(new RunEvent.Message("warning", "could not save the scan in " + modelDir.resolve(FILE)
                    + ": " + e.getMessage()));
        }
        return r;
    }

    /** The saved scan of the model's current weights with these settings, or null. */
    public static Result load(Path modelDir, Settings settings) throws ModelFormatException, IOException {
        String sha = weightsSha256(modelDir);
        for (Result r : saved(modelDir)) {
            if (r.settings().equals(settings) && sha.equals(r.modelSha256())) {
                return r;
            }
        }
        return null;
    }

    /** Every scan saved in a model folder (none when the file is absent or unreadable: it is only a cache). */
    public static List<Result> saved(Path modelDir) {
        Path f = modelDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        try {
            Saved s = Json.PRETTY.fromJson(Files.readString(f, StandardCharsets.UTF_8), Saved.class);
            return s == null || s.scans() == null ? List.of() : s.scans();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private record Saved(List<Result> scans) {}

    /** Adds (or replaces, same settings and weights) a scan in the model folder's {@value #FILE}, atomically. */
    public static void save(Path modelDir, Result result) throws IOException {
        List<Result> all = new ArrayList<>();
        for (Result r : saved(modelDir)) {
            if (!(r.settings().equals(result.settings()) && r.modelSha256().equals(result.modelSha256()))) {
                all.add(r);
            }
        }
        all.add(result);
        Files2.writeAtomically(modelDir.resolve(FILE), Json.PRETTY.toJson(new Saved(all)) + "\n");
    }

    /** Runs the scan (nothing read from or written to {@value #FILE}). */
    public static Result compute(Path modelDir, Settings settings, String device, Consumer<RunEvent> events,
            RunControl control) throws IOException, DatasetException, ModelFormatException, RunCancelledException {
        long start = System.nanoTime();
        GradMode.offOnThisThread();
        ModelInfo info = ModelStore.readInfo(modelDir);
        Graph g = info.graph();
        Dataset data = Datasets.load(settings.data(), DataOptions.DEFAULTS.withShape(new ImageShape(g.inChannels(),
                g.height(), g.width())), control);
        PruneRun.checkData(modelDir.toString(), g, data);
        ImageSet images = subset(data.train(), settings.subset(), settings.seed());
        String sha = weightsSha256(modelDir);
        PruneMethod magnitude = PruneMethod.of(PruneConfig.Method.MAGNITUDE);
        try (NDManager manager = NDManager.newBaseManager(Devices.resolve(device))) {
            Network net = ModelStore.load(modelDir, manager).network();
            PruneUnits units = PruneUnits.of(net, settings.granularity());
            List<UnitSet> sets = units.sets();
            List<Double> sp = settings.sparsities();
            int total = sets.size() * sp.size();
            events.accept(new RunEvent.Phase("sensitivity", String.format(Locale.ROOT,
                    "%s: %d %s × %d sparsities on %d training images of %s", info.name(), sets.size(),
                    settings.granularity() == PruneConfig.Granularity.STRUCTURED ? "channel groups" : "layers",
                    sp.size(), images.count(), data.id())));
            double dense = Evaluation.of(net, manager, images, info.normalization()).accuracy();
            events.accept(new RunEvent.Message("info", String.format(Locale.ROOT, "dense accuracy %.2f%%",
                    100 * dense)));
            // one layer-scope problem per set and sparsity: pruning set j alone is its problem alone
            List<List<Problem>> problems = new ArrayList<>();
            for (double s : sp) {
                problems.add(Problems.build(sets, PruneConfig.Budget.COUNT, PruneConfig.Scope.LAYER, 1 - s));
            }
            double[][] acc = new double[sets.size()][sp.size()];
            int done = 0;
            long stepStart = System.nanoTime();
            for (int j = 0; j < sets.size(); j++) {
                UnitSet set = sets.get(j);
                for (int k = 0; k < sp.size(); k++) {
                    control.checkpoint();
                    PruneConfig pc = PruneConfig.builder().method(PruneConfig.Method.MAGNITUDE)
                            .granularity(settings.granularity()).scope(PruneConfig.Scope.LAYER).sparsity(sp.get(k))
                            .build();
                    boolean[] keep = magnitude.selectAtOnce(units, List.of(problems.get(k).get(j)), pc,
                            settings.seed())[j];
                    try (NDManager m = manager.newSubManager()) {
                        set.installMask(set.maskArray(m, keep));
                        try {
                            acc[j][k] = Evaluation.of(net, m, images, info.normalization()).accuracy();
                        } finally {
                            set.clearMask();
                        }
                    }
                    done++;
                    double secs = (System.nanoTime() - stepStart) / 1e9;
                    events.accept(new RunEvent.Step("sensitivity", 1, done, total, done, total, Double.NaN,
                            acc[j][k], 0, secs > 0 ? done * images.count() / secs : 0));
                }
                events.accept(new RunEvent.Message("info", String.format(Locale.ROOT, "%s: %s", set.name(),
                        describe(dense, sp, acc[j]))));
            }
            List<Row> rows = new ArrayList<>();
            for (int j = 0; j < sets.size(); j++) {
                List<Double> a = new ArrayList<>();
                for (double v : acc[j]) {
                    a.add(v);
                }
                rows.add(new Row(sets.get(j).name(), sets.get(j).size(), a));
            }
            return new Result(settings, sha, images.count(), dense, rows, (System.nanoTime() - start) / 1e9,
                    Instant.now().toString());
        }
    }

    private static String describe(double dense, List<Double> sp, double[] acc) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < sp.size(); k++) {
            b.append(k > 0 ? ", " : "").append(String.format(Locale.ROOT, "%s → %+.2f", sp.get(k),
                    100 * (acc[k] - dense)));
        }
        return b.toString();
    }

    /** A seeded draw of {@code n} training images (all of them when there are fewer). */
    static ImageSet subset(ImageSet train, int n, long seed) {
        if (n >= train.count()) {
            return train;
        }
        int[] idx = Subsets.range(train.count());
        Subsets.shuffle(idx, new SplittableRandom(seed));
        int[] take = java.util.Arrays.copyOf(idx, n);
        java.util.Arrays.sort(take);
        return train.select(take);
    }

    static String weightsSha256(Path modelDir) throws ModelFormatException, IOException {
        ModelInfo info = ModelStore.readInfo(modelDir);
        return Files2.sha256(modelDir.resolve(info.paramsFile() == null ? ModelInfo.PARAMS_FILE
                : info.paramsFile()));
    }

    /**
     * Floors for {@code otprune prune --floors}: from a file holding a {@code "floors"} object (what
     * {@code otprune sensitivity} writes), or from {@code name=fraction,…} text.
     */
    public static Map<String, Double> readFloors(String fileOrList) throws IOException {
        Path p = Path.of(fileOrList);
        if (Files.isRegularFile(p)) {
            JsonObject o;
            try {
                o = JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(p + " is not a JSON object of floors");
            }
            if (!o.has("floors") || !o.get("floors").isJsonObject()) {
                throw new IllegalArgumentException(p + " holds no floors (write them with otprune sensitivity "
                        + "--tolerance POINTS)");
            }
            Map<String, Double> out = new LinkedHashMap<>();
            for (var e : o.getAsJsonObject("floors").entrySet()) {
                try {
                    out.put(e.getKey(), e.getValue().getAsDouble());
                } catch (RuntimeException ex) {
                    throw new IllegalArgumentException(p + ": the floor of " + e.getKey() + " is not a number");
                }
            }
            return out;
        }
        if (!fileOrList.contains("=")) {
            throw new IllegalArgumentException("--floors: no such file " + fileOrList + " (or give layer=fraction,…)");
        }
        return PruneConfig.parseFloors(fileOrList);
    }
}
