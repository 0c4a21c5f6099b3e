package io.otprune.ui;

import io.otprune.data.Datasets;
import io.otprune.model.ModelFormatException;
import io.otprune.prune.PruneConfig;
import io.otprune.prune.PruneMethod;
import io.otprune.run.PruneRunConfig;
import io.otprune.run.RunHistory;
import io.otprune.run.PruneSummary;
import io.otprune.train.RunEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The workbench's state and actions, free of controls so it is tested without a toolkit. Work leaves the calling
 * thread: model loading and previews on a helper thread, runs on {@link RunService}'s worker. Results come back
 * through {@code fx} (Platform::runLater in the app, direct in tests). Run events are queued by the worker and
 * applied in batches by {@link #drain()}, which the view calls at most ~10 times a second.
 */
public final class WorkbenchViewModel implements AutoCloseable {
    /** A point of a chart series. */
    public record Point(double x, double y) {}

    // inputs
    public final ObservableList<Path> sampleModels = FXCollections.observableArrayList();
    public final ObjectProperty<Path> modelDir = new SimpleObjectProperty<>();
    public final ObservableList<Datasets.Choice> datasets = FXCollections.observableArrayList();
    public final StringProperty dataId = new SimpleStringProperty(Datasets.FASHION_SMALL);
    public final DoubleProperty sparsity = new SimpleDoubleProperty(0.9);
    public final ObjectProperty<PruneConfig.Granularity> granularity =
            new SimpleObjectProperty<>(PruneConfig.Granularity.UNSTRUCTURED);
    public final ObjectProperty<PruneConfig.Budget> budget = new SimpleObjectProperty<>(PruneConfig.Budget.COUNT);
    public final ObjectProperty<PruneConfig.Scope> scope = new SimpleObjectProperty<>(PruneConfig.Scope.GLOBAL);
    public final ObjectProperty<PruneConfig.Method> method = new SimpleObjectProperty<>(PruneConfig.Method.DTP);
    public final ObjectProperty<PruneConfig.TemperatureMode> temperature =
            new SimpleObjectProperty<>(PruneConfig.TemperatureMode.AUTO);
    public final DoubleProperty eps0 = new SimpleDoubleProperty(0.5);
    public final IntegerProperty pruneEpochs = new SimpleIntegerProperty(2);
    public final IntegerProperty finetuneEpochs = new SimpleIntegerProperty(1);
    public final IntegerProperty seed = new SimpleIntegerProperty(1);
    public final StringProperty device = new SimpleStringProperty("auto");
    /** Per-layer floors of the next run ({@link PruneConfig#minKept}; set from a sensitivity scan); cleared when the
     *  model or the granularity changes, since they name that model's layers or channel groups. */
    public final ObjectProperty<java.util.Map<String, Double>> floors = new SimpleObjectProperty<>(java.util.Map.of());

    // outputs
    public final ObjectProperty<ModelPreview> model = new SimpleObjectProperty<>();
    public final ObjectProperty<ModelPreview.Outcome> preview = new SimpleObjectProperty<>();
    public final StringProperty previewText = new SimpleStringProperty("");
    public final StringProperty error = new SimpleStringProperty("");
    public final BooleanProperty running = new SimpleBooleanProperty(false);
    public final BooleanProperty paused = new SimpleBooleanProperty(false);
    public final DoubleProperty progress = new SimpleDoubleProperty(0);
    public final StringProperty status = new SimpleStringProperty("ready");
    public final ObjectProperty<PruneSummary> summary = new SimpleObjectProperty<>();
    public final ObjectProperty<Path> lastRunDir = new SimpleObjectProperty<>();
    /** The chosen data set's first images per class (the Data tab), or null while none is read. */
    public final ObjectProperty<io.otprune.data.DataSamples> dataSamples = new SimpleObjectProperty<>();
    /** Incremented each time the chart series below changed. */
    public final IntegerProperty chartVersion = new SimpleIntegerProperty(0);

    // chart series (read on the FX thread after chartVersion changes)
    public final List<Point> trainLoss = new ArrayList<>();
    public final List<Point> trainAccuracy = new ArrayList<>();
    public final List<Point> testAccuracy = new ArrayList<>();
    public final List<Point> sharpness = new ArrayList<>();
    public final List<Point> epsilon = new ArrayList<>();
    public final List<Point> softKept = new ArrayList<>();
    private RunEvent.Prune lastPrune;
    private RunEvent.Entropy lastEntropy;
    private int egpIteration;
    private final java.util.Map<String, RunEvent.Histogram> histograms = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, RunEvent.Mask> masks = new java.util.LinkedHashMap<>();

    /** Finished runs under the runs folder (this session's and earlier ones), newest first. */
    public final ObservableList<RunHistory.Entry> history = FXCollections.observableArrayList();
    /** Interrupted runs under the runs folder (run.json without summary.json), newest first: Resume continues them. */
    public final ObservableList<RunHistory.Interrupted> interrupted = FXCollections.observableArrayList();
    /**
     * The unit sets of the model at the chosen granularity: what the layer views (histogram, mask) can show, in the
     * network's order. Follows {@link #model} and {@link #granularity}.
     */
    public final ObservableList<String> layerSets = FXCollections.observableArrayList();
    /**
     * The one unit set the layer views show: any view may set it (the layer picker, a view that shows the network
     * and is clicked, via {@link #selectLayer}), every layer view follows it. The first set when the model or the
     * granularity changes; null when there is none.
     */
    public final StringProperty selectedLayer = new SimpleStringProperty();
    /** Folders under the runs folder that are neither finished nor interrupted runs (foreign, unreadable). */
    public final IntegerProperty historySkipped = new SimpleIntegerProperty(0);

    private final Consumer<Runnable> fx;
    private final RunService runs = new RunService();
    private final ExecutorService helper = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "otprune-preview");
        t.setDaemon(true);
        return t;
    });
    /**
     * Reads data sets (a folder of 70k images takes a while), apart from the helper so that previews and models do
     * not wait for it.
     */
    private final ExecutorService dataReader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "otprune-data");
        t.setDaemon(true);
        return t;
    });
    /** Ends the scan of the data set chosen before, when another is chosen. */
    private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.atomic.AtomicBoolean> dataScan =
            new java.util.concurrent.atomic.AtomicReference<>(new java.util.concurrent.atomic.AtomicBoolean());
    private final AtomicLong previewGeneration = new AtomicLong();
    private final ConcurrentLinkedQueue<RunEvent> pending = new ConcurrentLinkedQueue<>();
    private final Path runsRoot;
    private long runStart;

    public WorkbenchViewModel(Consumer<Runnable> fx, Path sampleModelsRoot, Path runsRoot) {
        this.fx = fx;
        this.runsRoot = runsRoot;
        datasets.setAll(Datasets.choices());
        if (Files.isDirectory(sampleModelsRoot)) {
            try (Stream<Path> s = Files.list(sampleModelsRoot)) {
                sampleModels.setAll(s.filter(p -> Files.isRegularFile(p.resolve("model.json"))).sorted().toList());
            } catch (IOException e) {
                error.set("cannot list " + sampleModelsRoot + ": " + e.getMessage());
            }
        }
        for (javafx.beans.Observable o : List.of(sparsity, granularity, budget, scope, model, floors)) {
            o.addListener(x -> refreshPreview());
        }
        modelDir.addListener((o, a, b) -> floors.set(java.util.Map.of()));
        granularity.addListener((o, a, b) -> floors.set(java.util.Map.of()));
        keepChoicesCompatible();
        model.addListener((o, a, b) -> listLayerSets());
        granularity.addListener((o, a, b) -> listLayerSets());
        // read the chosen data set ahead, so Start does not wait for (and the window does not stutter on) decoding it
        dataId.addListener((o, a, id) -> showData(id));
        showData(dataId.get());
        refreshHistory();
    }

    private void listLayerSets() {
        ModelPreview m = model.get();
        layerSets.setAll(m == null ? List.of() : m.setNames(granularity.get()));
        selectedLayer.set(layerSets.isEmpty() ? null : layerSets.get(0));
    }

    /**
     * Selects the unit set that {@code name} is, or that prunes the layer named {@code name} at the chosen
     * granularity (a channel group for one of its layers, the blocks for a layer of a block); nothing when neither.
     */
    public void selectLayer(String name) {
        ModelPreview m = model.get();
        String set = layerSets.contains(name) ? name : m == null ? null : m.setOf(granularity.get(), name);
        if (set != null) {
            selectedLayer.set(set);
        }
    }

    /**
     * Methods and granularities that only go together follow each other: choosing egp selects unstructured, cpot
     * selects structured, and a granularity the method cannot do brings the method back to DTP; a latency budget
     * (measured per residual block) only exists for depth, so leaving depth brings the budget back to count.
     */
    private void keepChoicesCompatible() {
        method.addListener((o, a, m) -> {
            PruneMethod pm = PruneMethod.of(m);
            if (!pm.supports(granularity.get())) {
                // the first granularity the method suits (egp: unstructured, cpot: structured)
                for (PruneConfig.Granularity g : PruneConfig.Granularity.values()) {
                    if (pm.supports(g)) {
                        granularity.set(g);
                        break;
                    }
                }
            }
        });
        granularity.addListener((o, a, g) -> {
            if (!PruneMethod.of(method.get()).supports(g)) {
                method.set(PruneConfig.Method.DTP);
            }
            if (!budget.get().suits(g)) {
                budget.set(PruneConfig.Budget.COUNT);
            }
        });
        budget.addListener((o, a, b) -> {
            if (!b.suits(granularity.get())) {
                granularity.set(PruneConfig.Granularity.DEPTH);
            }
        });
    }

    /** Images shown per class in the Data tab. */
    public static final int SAMPLES_PER_CLASS = 8;

    /**
     * Reads the chosen data set on the data thread (the named sets stay cached for the run) and shows its samples. A
     * folder chosen through {@link #openData} was read already; a named set that cannot be read here (not installed)
     * is reported when a run asks for it, a folder at once.
     */
    private void showData(String id) {
        io.otprune.data.DataSamples shown = dataSamples.get();
        if (id == null || shown != null && shown.id().equals(id)) {
            return;
        }
        dataSamples.set(null);
        readData(id, samples -> {
            if (id.equals(dataId.get())) {
                listData(id, samples);
                dataSamples.set(samples);
            }
        }, message -> {
            if (!isNamedData(id) && id.equals(dataId.get())) {
                reportDataError(message);
            }
        });
    }

    /**
     * Opens a folder as the data set (Open data folder…, or a folder dropped on the window): read and checked on the
     * data thread, then listed in the data picker and chosen. An empty class folder, a single class, a class count
     * other than the model's or unreadable images set {@link #error} in one line and keep the current data set.
     */
    public void openData(Path dir) {
        if (refusedWhileRunning("data")) {
            return;
        }
        String id = dir.toAbsolutePath().normalize().toString();
        status.set("reading data folder " + dir.getFileName() + "…");
        readData(id, samples -> {
            listData(id, samples);
            dataSamples.set(samples); // before the id, so that showData does not read the folder again
            dataId.set(id);
            status.set("data: " + samples.summary());
        }, message -> {
            reportDataError(message);
            status.set("ready");
        });
    }

    /** Puts a folder read as a data set into the data picker's list (once). */
    private void listData(String id, io.otprune.data.DataSamples samples) {
        if (datasets.stream().noneMatch(c -> c.id().equals(id))) {
            datasets.add(new Datasets.Choice(id, samples.summary(), true, ""));
        }
    }

    /** A folder dropped on the window: a model when it holds model.json, else a data set. */
    public void openDropped(Path dir) {
        if (isOnnx(dir) || Files.isRegularFile(dir.resolve("model.json"))) {
            loadModel(dir);
        } else {
            openData(dir);
        }
    }

    /**
     * True, with a message, while a run goes: the run keeps training what it loaded, but the views would follow the
     * new model or data and mix its layers with the run's events. The window disables its buttons then; this also
     * covers a file dropped on the window.
     */
    private boolean refusedWhileRunning(String what) {
        if (!running.get()) {
            return false;
        }
        error.set(""); // the same message twice must show twice
        error.set("A run is going: stop it (or wait for its end) before opening other " + what + ".");
        return true;
    }

    private void reportDataError(String message) {
        error.set(""); // the same message twice must show twice
        error.set("Cannot use data: " + message);
    }

    private static boolean isNamedData(String id) {
        return Datasets.choices().stream().anyMatch(c -> c.id().equals(id));
    }

    /**
     * Reads a data set on the data thread as a run of the current model would (folders brought to its input and
     * refused unless they have its class count) and hands its samples, or a one-line reason, to the FX thread.
     */
    private void readData(String id, Consumer<io.otprune.data.DataSamples> done, Consumer<String> failed) {
        if (dataReader.isShutdown()) {
            return;
        }
        ModelPreview m = model.get();
        io.otprune.data.ImageShape shape = m == null || isNamedData(id) ? null : new io.otprune.data.ImageShape(
                m.info().graph().inChannels(), m.info().graph().height(), m.info().graph().width());
        int classes = m == null ? 0 : m.info().graph().classes();
        String modelName = m == null ? null : m.info().name();
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        dataScan.getAndSet(cancelled).set(true);
        io.otprune.data.ReaderControl control = new io.otprune.data.ReaderControl() {
            @Override public void awaitResumed() {}
            @Override public boolean isCancelled() { return cancelled.get(); }
        };
        dataReader.submit(() -> {
            try {
                io.otprune.data.Dataset d = Datasets.load(id,
                        io.otprune.data.DataOptions.DEFAULTS.withShape(shape), control);
                if (modelName != null && !isNamedData(id)) { // a named set is still previewed; a run refuses it
                    d.requireClasses(classes, modelName);
                }
                io.otprune.data.DataSamples samples = io.otprune.data.DataSamples.of(d, SAMPLES_PER_CLASS);
                fx.accept(() -> done.accept(samples));
            } catch (java.util.concurrent.CancellationException e) {
                // another data set was chosen meanwhile
            } catch (io.otprune.data.DatasetException | RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' ');
                fx.accept(() -> failed.accept(message));
            }
        });
    }

    /** Rescans the runs folder on the helper thread. */
    public void refreshHistory() {
        if (helper.isShutdown()) {
            return; // a run that ends while the window closes
        }
        helper.submit(() -> {
            RunHistory.Listing l = RunHistory.scan(runsRoot);
            fx.accept(() -> {
                history.setAll(l.runs());
                interrupted.setAll(l.interrupted());
                historySkipped.set(l.skipped());
            });
        });
    }

    public Path runsRoot() {
        return runsRoot;
    }

    /**
     * The comparison chart's series for the chosen runs: one per model · method · granularity (· budget), points
     * (achieved sparsity, final test accuracy) in order of sparsity.
     */
    public static java.util.Map<String, List<Point>> comparison(List<RunHistory.Entry> chosen) {
        java.util.Map<String, List<Point>> out = new java.util.TreeMap<>();
        for (RunHistory.Entry e : chosen) {
            out.computeIfAbsent(e.seriesKey(), k -> new ArrayList<>())
                    .add(new Point(e.summary().achievedSparsity(), e.summary().finalAccuracy()));
        }
        out.values().forEach(l -> l.sort(java.util.Comparator.comparingDouble(Point::x)));
        return out;
    }

    /** Dense accuracy of each model among the chosen runs (drawn as a reference line), by model folder name. */
    public static java.util.Map<String, Double> denseAccuracies(List<RunHistory.Entry> chosen) {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        for (RunHistory.Entry e : chosen) {
            out.putIfAbsent(Path.of(e.model()).getFileName().toString(), e.summary().denseAccuracy());
        }
        return out;
    }

    /** The default sample model: lenet5 on Fashion-MNIST when present, else the first. */
    public Path defaultModel() {
        return sampleModels.stream().filter(p -> p.getFileName().toString().equals("lenet5-fmnist")).findFirst()
                .orElse(sampleModels.isEmpty() ? null : sampleModels.get(0));
    }

    /**
     * Loads a model folder, or imports an .onnx file first (into a new folder under {@link #importedModelsRoot}), on
     * the helper thread; a bad folder or file sets {@link #error} and keeps the current model.
     */
    public void loadModel(Path path) {
        if (refusedWhileRunning("model")) {
            return;
        }
        status.set((isOnnx(path) ? "importing " : "loading ") + path.getFileName() + "…");
        helper.submit(() -> {
            try {
                Path dir = isOnnx(path) ? importOnnx(path) : path;
                ModelPreview p = ModelPreview.load(dir);
                fx.accept(() -> {
                    ModelPreview old = model.get();
                    modelDir.set(dir);
                    model.set(p);
                    dataId.set(Datasets.FASHION.equals(p.info().dataset()) && !fashionInstalled()
                            ? Datasets.FASHION_SMALL : defaultDataFor(p));
                    error.set("");
                    status.set("ready");
                    if (old != null) {
                        helper.submit(old::close);
                    }
                });
            } catch (ModelFormatException | java.io.IOException | RuntimeException e) {
                fx.accept(() -> {
                    error.set("Cannot open model: " + e.getMessage());
                    status.set("ready");
                });
            }
        });
    }

    static boolean isOnnx(Path p) {
        return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")
                && java.nio.file.Files.isRegularFile(p);
    }

    /** Where imported .onnx files become model folders: beside the runs folder (~/.otprune/models). */
    public Path importedModelsRoot() {
        return runsRoot.toAbsolutePath().getParent().resolve("models");
    }

    /** Imports an .onnx file into a new folder named after it (never over an existing one); on the helper thread. */
    private Path importOnnx(Path file) throws ModelFormatException, java.io.IOException {
        String base = file.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
        Path dir = importedModelsRoot().resolve(base);
        for (int k = 2; java.nio.file.Files.exists(dir); k++) {
            dir = importedModelsRoot().resolve(base + "-" + k);
        }
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu())) {
            io.otprune.model.OnnxImport.importTo(file, dir, base, m);
        }
        return dir;
    }

    /** Exports the last run's model as ONNX, checked by ONNX Runtime, on the helper thread; the result in status. */
    public void exportOnnx(Path out) {
        PruneSummary s = summary.get();
        if (s == null) {
            return;
        }
        status.set("exporting " + out.getFileName() + "…");
        helper.submit(() -> {
            try {
                var check = io.otprune.model.OnnxExport.exportFolder(Path.of(s.modelDir()), out, false);
                fx.accept(() -> status.set("exported " + out + " · " + check.line()));
            } catch (ModelFormatException | java.io.IOException | RuntimeException e) {
                fx.accept(() -> error.set("ONNX export failed: " + e.getMessage()));
            }
        });
    }

    private static boolean fashionInstalled() {
        return Datasets.choices().stream().anyMatch(c -> c.id().equals(Datasets.FASHION) && c.available());
    }

    private String defaultDataFor(ModelPreview p) {
        String d = p.info().dataset();
        if (d == null || d.isBlank()) {
            return dataId.get() != null ? dataId.get() : Datasets.FASHION_SMALL; // an imported model names none
        }
        return d.equals(Datasets.FASHION) ? Datasets.FASHION_SMALL : d; // the embedded subset runs in minutes
    }

    /** The run configuration the controls describe now (throws IllegalArgumentException on bad input). */
    public PruneConfig pruneConfig() {
        return PruneConfig.builder().method(method.get()).granularity(granularity.get()).budget(budget.get())
                .scope(scope.get()).sparsity(Math.round(sparsity.get() * 10000) / 10000.0)
                .temperature(temperature.get()).eps0(eps0.get()).minKept(floors.get()).build();
    }

    private void refreshPreview() {
        ModelPreview p = model.get();
        if (p == null) {
            return;
        }
        PruneConfig pc;
        try {
            pc = pruneConfig();
        } catch (IllegalArgumentException e) {
            previewText.set(e.getMessage());
            return;
        }
        if (helper.isShutdown()) {
            return; // a model that finished loading while the window closed
        }
        long gen = previewGeneration.incrementAndGet();
        helper.submit(() -> {
            if (gen != previewGeneration.get()) {
                return; // a newer setting is waiting: skip this one
            }
            ModelPreview.Outcome o = p.outcome(pc);
            fx.accept(() -> {
                if (gen == previewGeneration.get()) {
                    preview.set(o);
                    previewText.set(describe(o, pc));
                }
            });
        });
    }

    static String describe(ModelPreview.Outcome o, PruneConfig pc) {
        if (o.error() != null) {
            return o.error();
        }
        String unit = switch (pc.granularity()) {
            case STRUCTURED -> "channels";
            case DEPTH -> "residual blocks";
            default -> "weights";
        };
        return String.format(Locale.ROOT, "keeps %,d of %,d %s · params %,d of %,d (%.1f%%) · MACs %,d of %,d (%.1f%%)",
                o.unitsKept(), o.units(), unit, o.paramsKept(), o.params(), 100.0 * o.paramsKept() / o.params(),
                o.macsKept(), o.macs(), 100.0 * o.macsKept() / o.macs());
    }

    /** Starts a run with the current settings; its folder goes under the runs folder. */
    public void start() {
        if (running.get() || model.get() == null) {
            return;
        }
        PruneConfig pc;
        try {
            pc = pruneConfig();
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            return;
        }
        String name = String.format(Locale.ROOT, "%s-%s-%s-%s-%.2f",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")),
                modelDir.get().getFileName(), pc.method().name().toLowerCase(Locale.ROOT),
                pc.granularity().name().toLowerCase(Locale.ROOT), pc.sparsity());
        Path out = runsRoot.resolve(name);
        for (int k = 2; java.nio.file.Files.exists(out); k++) { // Start again within the same second
            out = runsRoot.resolve(name + "-" + k);
        }
        PruneRunConfig cfg = PruneRunConfig.builder().model(modelDir.get().toString()).data(dataId.get()).prune(pc)
                .pruneEpochs(pruneEpochs.get()).finetuneEpochs(finetuneEpochs.get()).seed(seed.get())
                .device(device.get()).out(out.toString()).build();
        clearCharts();
        summary.set(null);
        error.set("");
        running.set(true);
        paused.set(false);
        progress.set(0);
        status.set("starting…");
        runStart = System.nanoTime();
        lastRunDir.set(out);
        runs.start(cfg, out, pending::add, outcome -> fx.accept(() -> finished(outcome)));
    }

    /**
     * Continues an interrupted run from its last checkpoint in its own folder; the window takes the run's method and
     * epochs (progress is counted in them) and shows it from where it continues.
     */
    public void resumeRun(RunHistory.Interrupted run) {
        if (running.get() || run == null) {
            return;
        }
        try {
            PruneRunConfig cfg = RunHistory.config(run.dir());
            method.set(cfg.prune().method());
            pruneEpochs.set(cfg.pruneEpochs());
            finetuneEpochs.set(cfg.finetuneEpochs());
        } catch (IOException e) {
            error.set("Cannot resume: " + e.getMessage());
            return;
        }
        clearCharts();
        summary.set(null);
        error.set("");
        running.set(true);
        paused.set(false);
        progress.set(0);
        status.set("resuming " + run.name() + " after " + run.progress() + "…");
        runStart = System.nanoTime();
        lastRunDir.set(run.dir());
        runs.resumeRun(run.dir(), pending::add, outcome -> fx.accept(() -> finished(outcome)));
    }

    /** Pause or resume. */
    public void togglePause() {
        if (!running.get()) {
            return;
        }
        if (paused.get()) {
            runs.resume();
            paused.set(false);
            status.set("resumed");
        } else {
            runs.pause();
            paused.set(true);
            status.set("paused");
        }
    }

    public void stop() {
        if (running.get()) {
            runs.cancel();
            runs.resume(); // a paused run must wake up to see the cancel
            status.set("stopping…");
        }
    }

    private void finished(RunService.Outcome o) {
        drain();
        refreshHistory();
        running.set(false);
        paused.set(false);
        if (o.summary() != null) {
            summary.set(o.summary());
            progress.set(1);
            status.set(String.format(Locale.ROOT, "done: %.2f%% at sparsity %.4f (dense %.2f%%) · %s",
                    100 * o.summary().finalAccuracy(), o.summary().achievedSparsity(),
                    100 * o.summary().denseAccuracy(), o.dir()));
        } else if (o.cancelled()) {
            status.set("stopped; partial run in " + o.dir());
        } else {
            error.set("Run failed: " + o.error());
            status.set("failed");
        }
    }

    /** Queues a run event as a run's worker does (any thread): applied by the next {@link #drain()}. */
    void post(RunEvent e) {
        pending.add(e);
    }

    /** Whether run events are waiting for {@link #drain()} (any thread). */
    public boolean hasPendingEvents() {
        return !pending.isEmpty();
    }

    /** Applies queued run events to the properties and series; returns how many were applied. */
    public int drain() {
        int n = 0;
        RunEvent e;
        boolean charts = false;
        while ((e = pending.poll()) != null) {
            n++;
            charts |= apply(e);
        }
        if (charts) {
            chartVersion.set(chartVersion.get() + 1);
        }
        return n;
    }

    private boolean apply(RunEvent e) {
        int pe = pruneEpochs.get(), fe = finetuneEpochs.get();
        int totalEpochs = Math.max(1, pe + fe);
        // one-shot methods train all their epochs in the fine-tune phase: it starts at 0 for them
        boolean oneShot = PruneMethod.of(method.get()).oneShot();
        int offset = oneShot ? 0 : pe;
        // egp trains one epoch per iteration, each numbered 1 by the loop: its iteration places it
        int prunePhaseOffset = method.get() == PruneConfig.Method.EGP ? Math.max(0, egpIteration - 1) : 0;
        if (e instanceof RunEvent.Entropy en) {
            lastEntropy = en;
            egpIteration = Math.min(en.iteration(), en.iterations());
            return true;
        }
        if (e instanceof RunEvent.Step s) {
            double epochsDone = (s.phase().equals("finetune") ? offset : prunePhaseOffset) + (s.epoch() - 1)
                    + (double) s.step() / s.stepsPerEpoch();
            double x = epochsDone;
            trainLoss.add(new Point(x, s.loss()));
            trainAccuracy.add(new Point(x, s.accuracy()));
            double frac = Math.min(1, epochsDone / totalEpochs);
            progress.set(frac);
            double elapsed = (System.nanoTime() - runStart) / 1e9;
            double eta = frac > 0.01 ? elapsed * (1 - frac) / frac : Double.NaN;
            status.set(String.format(Locale.ROOT, "%s · epoch %d · %.0f samples/s · ETA %s", s.phase(), s.epoch(),
                    s.samplesPerSecond(), Double.isNaN(eta) ? "…" : String.format(Locale.ROOT, "%.0f s", eta)));
            return true;
        }
        if (e instanceof RunEvent.Epoch ep) {
            double x = (ep.phase().equals("finetune") ? offset : prunePhaseOffset) + ep.epoch();
            testAccuracy.add(new Point(x, ep.testAccuracy()));
            return true;
        }
        if (e instanceof RunEvent.Prune p) {
            double x = (double) p.step() / Math.max(1, p.totalSteps()) * pe;
            sharpness.add(new Point(x, p.sharpness()));
            epsilon.add(new Point(x, p.epsilon()));
            softKept.add(new Point(x, p.softKept()));
            lastPrune = p;
            return true;
        }
        if (e instanceof RunEvent.Histogram h) {
            histograms.put(h.set(), h);
            return true;
        }
        if (e instanceof RunEvent.Mask m) {
            masks.put(m.set(), m);
            return true;
        }
        if (e instanceof RunEvent.Phase ph) {
            status.set(ph.phase() + ": " + ph.detail());
        } else if (e instanceof RunEvent.Failed f) {
            error.set(f.message());
        }
        return false;
    }

    public RunEvent.Prune lastPrune() {
        return lastPrune;
    }

    /** The latest activation-entropy measurement (egp runs), or null. */
    public RunEvent.Entropy lastEntropy() {
        return lastEntropy;
    }

    public RunEvent.Histogram histogram(String set) {
        return histograms.get(set);
    }

    /** The latest mask of a unit set (soft while pruning, hard after), or null before the first. */
    public RunEvent.Mask mask(String set) {
        return masks.get(set);
    }

    private void clearCharts() {
        trainLoss.clear();
        trainAccuracy.clear();
        testAccuracy.clear();
        sharpness.clear();
        epsilon.clear();
        softKept.clear();
        histograms.clear();
        masks.clear();
        lastPrune = null;
        lastEntropy = null;
        egpIteration = 0;
        chartVersion.set(chartVersion.get() + 1);
    }

    public RunService runs() {
        return runs;
    }

    @Override
    public void close() {
        runs.shutdown(15_000);
        dataScan.get().set(true);
        dataReader.shutdownNow();
        helper.shutdownNow();
        ModelPreview p = model.get();
        if (p != null) {
            p.close();
        }
    }
}
