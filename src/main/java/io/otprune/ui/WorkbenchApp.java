package io.otprune.ui;

import io.otprune.data.Datasets;
import io.otprune.prune.PruneConfig;
import io.otprune.run.PruneSummary;
import io.otprune.train.Devices;
import io.otprune.train.RunEvent;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.prefs.Preferences;
import io.otprune.run.RunHistory;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;
import org.controlsfx.control.SegmentedButton;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The workbench window: model and data on top, run controls on the left, live charts in the middle, the layers and
 * the result below. All state lives in {@link WorkbenchViewModel}; this class only lays out and binds.
 */
public class WorkbenchApp extends Application {
    /**
     * How often run events reach the progress line and the charts. Each JFreeChart draw costs 1.5-4 ms of the FX
     * thread here plus as much again of the renderer's; on a 2-core machine every millisecond of that preempts one of
     * PyTorch's two threads while the other waits for it, so it costs training twice (docs/benchmarks.md §5: at 10 Hz
     * the window trained at 0.73x the CLI's speed). Twice a second on machines with 2 cores or fewer, 4 times with
     * more; -Dotprune.redrawMs overrides.
     */
    static final long REDRAW_NANOS = Long.getLong("otprune.redrawMs",
            Runtime.getRuntime().availableProcessors() <= 2 ? 500 : 250) * 1_000_000L;
    /** FX-thread time a pulse may use (CSS and layout included) before the charts still to draw wait for the next. */
    static final long CHART_BUDGET_NANOS = Long.getLong("otprune.chartBudgetMs", 16) * 1_000_000L;
    static final Path SAMPLE_MODELS = Path.of(System.getProperty("otprune.samples", "sample-models"));
    static final Path RUNS = Path.of(System.getProperty("otprune.runs",
            System.getProperty("user.home") + File.separator + ".otprune" + File.separator + "runs"));

    private WorkbenchViewModel vm;
    private final Preferences prefs = Preferences.userNodeForPackage(WorkbenchApp.class);

    // chart data
    private final XYSeries loss = new XYSeries("train loss");
    private final XYSeries trainAcc = new XYSeries("train accuracy");
    private final XYSeries testAcc = new XYSeries("test accuracy");
    private final XYSeries sharp = new XYSeries("mask sharpness");
    private final XYSeries kept = new XYSeries("kept (soft, budget measure)");
    private final XYSeries eps = new XYSeries("temperature ε");
    private final DefaultTableXYDataset histData = new DefaultTableXYDataset();
    private final DefaultCategoryDataset layerData = new DefaultCategoryDataset();
    private JFreeChart histChart;
    private JFreeChart lossChart;
    private JFreeChart accuracyChart;
    private JFreeChart sharpnessChart;
    private JFreeChart epsilonChart;
    private JFreeChart layerChart;
    private JFreeChart entropyChart;
    private final DefaultCategoryDataset entropyData = new DefaultCategoryDataset();
    private final ChartRenderQueue renderQueue = new ChartRenderQueue();
    /** What each chart last showed (a token per chart), so a redraw touches only the charts whose data changed. */
    private final java.util.Map<JFreeChart, Object> drawn = new java.util.IdentityHashMap<>(); // charts hash by content
    private final ComboBox<String> histLayer = new ComboBox<>();
    private final MaskView maskView = new MaskView();
    private final UiPerformance perf = UiPerformance.fromSystemProperties();
    private final java.util.concurrent.ScheduledExecutorService ticker =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "otprune-ui-ticker");
                t.setDaemon(true);
                return t;
            });
    private TabPane layerViews;
    private JFreeChart comparisonChart;
    private TabPane bottomTabs;
    private final XYSeriesCollection comparisonData = new XYSeriesCollection();
    private final TableView<RunHistory.Entry> historyTable = new TableView<>();

    /** Charts changed but not drawn yet (for tests: the pulse listener draws them without being polled). */
    int pendingChartDraws() {
        return renderQueue.pending();
    }

    /** The view-model (for tests). */
    public WorkbenchViewModel viewModel() {
        return vm;
    }

    @Override
    public void start(Stage stage) {
        vm = new WorkbenchViewModel(Platform::runLater, SAMPLE_MODELS, RUNS);
        BorderPane root = new BorderPane();
        root.setTop(top(stage));
        root.setLeft(controls());
        // charts above, layers/result/history below; the divider lets the history's chart have the room
        javafx.scene.control.SplitPane centre = new javafx.scene.control.SplitPane(charts(), bottom());
        centre.setOrientation(javafx.geometry.Orientation.VERTICAL);
        centre.setDividerPositions(List.of("history", "data", "confusion").contains(System.getProperty("otprune.view",
                "")) ? 0.45 : 0.74);
        root.setCenter(centre);
        Scene scene = new Scene(root, prefs.getDouble("width", 1400), prefs.getDouble("height", 900));
        scene.setOnKeyPressed(k -> {
            if (k.getTarget() instanceof TextField) {
                return;
            }
            if (k.getCode() == KeyCode.SPACE) {
                if (vm.running.get()) {
                    vm.togglePause();
                } else {
                    vm.start();
                }
                k.consume();
            } else if (k.getCode() == KeyCode.ESCAPE) {
                vm.stop();
                k.consume();
            }
        });
        // drag and drop of a model folder (it holds model.json), an .onnx file, or a data folder
        scene.setOnDragOver(d -> {
            if (d.getDragboard().hasFiles()) {
                d.acceptTransferModes(TransferMode.COPY);
            }
        });
        scene.setOnDragDropped(d -> {
            List<File> files = d.getDragboard().getFiles();
            if (!files.isEmpty()) {
                vm.openDropped(files.get(0).toPath());
            }
            d.setDropCompleted(true);
        });
        stage.setTitle("OTPrune Workbench");
        java.io.InputStream icon = WorkbenchApp.class.getResourceAsStream("/icon.png");
        if (icon != null) {
            stage.getIcons().add(new javafx.scene.image.Image(icon));
        }
        stage.setScene(scene);
        stage.setOnCloseRequest(e -> {
            if (vm.running.get()) {
                Alert a = new Alert(Alert.AlertType.CONFIRMATION, "A run is in progress. Stop it and quit?",
                        ButtonType.YES, ButtonType.NO);
                a.setHeaderText("Quit OTPrune Workbench");
                if (a.showAndWait().orElse(ButtonType.NO) != ButtonType.YES) {
                    e.consume();
                    return;
                }
            }
            prefs.putDouble("width", scene.getWidth());
            prefs.putDouble("height", scene.getHeight());
            savePrefs();
        });
        restorePrefs();
        vm.chartVersion.addListener((o, a, b) -> redraw());
        vm.preview.addListener((o, a, b) -> redrawLayers());
        vm.error.addListener((o, a, b) -> {
            if (b != null && !b.isBlank()) {
                Alert alert = new Alert(Alert.AlertType.ERROR, b, ButtonType.OK);
                alert.setHeaderText(b.startsWith("Cannot open") ? "Model not loaded" : "Problem");
                alert.show();
            }
        });
        startTicker(scene);
        perf.watch(vm, stage, scene);
        Path initial = vm.defaultModel();
        String remembered = System.getProperty("otprune.model", Boolean.getBoolean("otprune.noPrefs") ? null
                : prefs.get("model", null));
        if (remembered != null && java.nio.file.Files.isRegularFile(Path.of(remembered, "model.json"))) {
            initial = Path.of(remembered);
        }
        if (initial != null) {
            vm.loadModel(initial);
        }
        stage.show();
        demo(scene);
    }

    /**
     * Nothing here asks for pulses when nothing changed. A helper thread hands queued run events to the FX thread
     * {@link #REDRAW_NANOS} apart (only when there are some), and the charts those events changed are drawn by a
     * post-layout pulse listener, in the same pulse as the progress line, until that pulse has used
     * {@link #CHART_BUDGET_NANOS} (at least one chart a pulse; it asks for the next pulse while some are pending).
     * The first version polled from an AnimationTimer, which keeps JavaFX pulsing at 60 Hz for the window's whole
     * life, idle or not. Every frame costs more than its dirty regions: with software rendering (Prism's sw
     * pipeline, e.g. under Xvfb) each one copies and uploads the whole window, so fewer, fuller frames are cheaper,
     * while the budget keeps one pulse short when much changes at once (a run's start clears every chart). On a
     * 2-core machine all of this CPU is taken from training twice over: one of PyTorch's two threads is preempted
     * and the other waits for it at the next barrier (docs/benchmarks.md §5).
     */
    private void startTicker(Scene scene) {
        renderQueue.onRendered((chart, ns) -> perf.rendered(chart == histChart ? "histogram"
                : chart.getTitle() == null ? "?" : chart.getTitle().getText(), ns));
        java.util.concurrent.atomic.AtomicBoolean queued = new java.util.concurrent.atomic.AtomicBoolean();
        ticker.scheduleWithFixedDelay(() -> {
            if (vm.hasPendingEvents() && queued.compareAndSet(false, true)) {
                Platform.runLater(() -> {
                    queued.set(false);
                    long t0 = System.nanoTime();
                    vm.drain();
                    perf.work(System.nanoTime() - t0, vm.running.get());
                });
            }
        }, REDRAW_NANOS, REDRAW_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS);
        long[] pulseStart = new long[1];
        scene.addPreLayoutPulseListener(() -> pulseStart[0] = System.nanoTime());
        // after layout and before the scene is copied to the render thread: the charts are painted in this frame
        scene.addPostLayoutPulseListener(() -> {
            if (renderQueue.pending() > 0) {
                long t0 = System.nanoTime();
                renderQueue.render(CHART_BUDGET_NANOS - (t0 - pulseStart[0]));
                perf.work(System.nanoTime() - t0, vm.running.get());
                if (renderQueue.pending() > 0) {
                    Platform.requestNextPulse();
                }
            }
        });
    }

    /**
     * For documentation screenshots (see README): with -Dotprune.autostart=true a run starts once the model is
     * loaded; with -Dotprune.screenshot=FILE.png the window is saved to FILE after -Dotprune.screenshot.after
     * seconds (default 20; from the run's end with -Dotprune.screenshot.afterRun=true), and the application quits if
     * -Dotprune.screenshot.exit=true. -Dotprune.model=DIR opens that model (-Dotprune.data=ID or a folder: the data
     * set chosen once the model is loaded, the autostarted run's), -Dotprune.view=mask (with
     * -Dotprune.layer=NAME) shows the mask heatmap, and
     * -Dotprune.view=history the run history with its comparison chart (-Dotprune.compare=TEXT: only the runs whose
     * model path contains TEXT are chosen at first), -Dotprune.view=data the data preview, -Dotprune.view=confusion
     * the confusion matrices once the run has ended.
     */
    private void demo(Scene scene) {
        String view = System.getProperty("otprune.view", "");
        if (view.equals("mask")) {
            layerViews.getSelectionModel().select(1);
        } else if (view.equals("history")) {
            bottomTabs.getSelectionModel().select(2);
        } else if (view.equals("data")) {
            bottomTabs.getSelectionModel().select(3);
        } else if (view.equals("confusion")) {
            vm.summary.addListener((o, a, s) -> Platform.runLater(() -> bottomTabs.getSelectionModel().select(4)));
        }
        String layer = System.getProperty("otprune.layer");
        if (layer != null) {
            histLayer.getItems().addListener((javafx.collections.ListChangeListener<String>) c -> {
                if (histLayer.getItems().contains(layer)) {
                    histLayer.getSelectionModel().select(layer);
                }
            });
        }
        String data = System.getProperty("otprune.data"); // e.g. the full data set for benchmarks, or a folder
        boolean autostart = Boolean.getBoolean("otprune.autostart");
        if (autostart || data != null) {
            vm.preview.addListener(new javafx.beans.value.ChangeListener<>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends ModelPreview.Outcome> o,
                        ModelPreview.Outcome a, ModelPreview.Outcome b) {
                    vm.preview.removeListener(this);
                    if (data != null && java.nio.file.Files.isDirectory(Path.of(data))) {
                        vm.openData(Path.of(data)); // as Open data folder… does; chosen once it is read
                    } else if (data != null) {
                        vm.dataId.set(data);
                    }
                    if (!autostart) {
                        return;
                    }
                    // as a person would: the data set chosen, Start clicked a moment later (the data preloaded)
                    javafx.animation.PauseTransition wait = new javafx.animation.PauseTransition(
                            javafx.util.Duration.seconds(data != null ? 3 : 0.01));
                    wait.setOnFinished(e -> vm.start());
                    if (data == null || vm.dataId.get().equals(data)) {
                        wait.play();
                    } else {
                        vm.dataId.addListener((x, y, id) -> wait.play()); // a folder: once it is read and chosen
                    }
                }
            });
        }
        String shot = System.getProperty("otprune.screenshot");
        if (shot != null) {
            double after = Double.parseDouble(System.getProperty("otprune.screenshot.after", "20"));
            javafx.animation.PauseTransition wait = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(after));
            wait.setOnFinished(e -> {
                vm.drain();
                redraw();
                renderQueue.render(Long.MAX_VALUE);
                javafx.scene.image.WritableImage img = scene.snapshot(null);
                try {
                    javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(img, null), "png",
                            new File(shot));
                    System.out.println("screenshot written to " + shot);
                } catch (java.io.IOException ex) {
                    System.err.println("cannot write screenshot " + shot + ": " + ex.getMessage());
                }
                if (Boolean.getBoolean("otprune.screenshot.exit")) {
                    vm.stop();
                    Platform.exit();
                }
            });
            if (Boolean.getBoolean("otprune.screenshot.afterRun")) { // the seconds count from the run's end
                vm.summary.addListener((o, a, sum) -> wait.play());
            } else {
                wait.play();
            }
        }
    }

    @Override
    public void stop() {
        ticker.shutdownNow();
        if (vm != null) {
            vm.close();
        }
    }

    private Node top(Stage stage) {
        ComboBox<Path> models = new ComboBox<>(vm.sampleModels);
        models.setPromptText("sample models");
        models.setId("modelPicker");
        models.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Path p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : p.getFileName().toString());
            }
        });
        models.setButtonCell(models.getCellFactory().call(null));
        vm.modelDir.addListener((o, a, b) -> models.setValue(b));
        models.setOnAction(e -> {
            Path p = models.getValue();
            if (p != null && !p.equals(vm.modelDir.get())) {
                vm.loadModel(p);
            }
        });
        tip(models, "Pick one of the sample models shipped with the workbench");
        Button open = new Button("Open model…");
        open.setId("openModel");
        tip(open, "Open a model folder (model.json + model.params); you can also drop a folder or an .onnx file on "
                + "the window");
        open.setOnAction(e -> {
            DirectoryChooser ch = new DirectoryChooser();
            ch.setTitle("Open a model folder");
            File f = ch.showDialog(stage);
            if (f != null) {
                vm.loadModel(f.toPath());
            }
        });
        Button openOnnx = new Button("Open ONNX…");
        openOnnx.setId("openOnnx");
        tip(openOnnx, "Import an .onnx file (exported from PyTorch or anything else) into a model folder under "
                + vm.importedModelsRoot() + " and open it; you can also drop the file on the window");
        openOnnx.setOnAction(e -> {
            javafx.stage.FileChooser ch = new javafx.stage.FileChooser();
            ch.setTitle("Open an ONNX model");
            ch.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("ONNX models", "*.onnx"));
            File f = ch.showOpenDialog(stage);
            if (f != null) {
                vm.loadModel(f.toPath());
            }
        });
        ComboBox<Datasets.Choice> data = new ComboBox<>(vm.datasets);
        data.setId("dataPicker");
        data.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Datasets.Choice c, boolean empty) {
                super.updateItem(c, empty);
                setText(empty || c == null ? null : dataLabel(c.id()) + (c.available() ? "" : " (not installed)"));
                setDisable(c != null && !c.available());
                setTooltip(c == null ? null : new Tooltip(c.available() ? c.description() : c.hint()));
            }
        });
        data.setButtonCell(data.getCellFactory().call(null));
        Runnable showChosen = () -> vm.datasets.stream().filter(c -> c.id().equals(vm.dataId.get())).findFirst()
                .ifPresent(data::setValue);
        vm.dataId.addListener((o, a, b) -> showChosen.run());
        vm.datasets.addListener((javafx.collections.ListChangeListener<Datasets.Choice>) c -> showChosen.run());
        showChosen.run();
        data.setOnAction(e -> {
            if (data.getValue() != null && data.getValue().available()) {
                vm.dataId.set(data.getValue().id());
            }
        });
        tip(data, "Data to prune and fine-tune on; the embedded subsets need nothing installed");
        Button openData = new Button("Open data folder…");
        openData.setId("openData");
        tip(openData, "Use a folder of data: image folders (one per class), CIFAR .bin files or IDX files; you can "
                + "also drop it on the window");
        openData.setOnAction(e -> {
            DirectoryChooser ch = new DirectoryChooser();
            ch.setTitle("Open a data folder");
            File f = ch.showDialog(stage);
            if (f != null) {
                vm.openData(f.toPath());
            }
        });
        openData.disableProperty().bind(vm.running);
        openData.setMinWidth(Label.USE_PREF_SIZE);
        data.disableProperty().bind(vm.running);
        models.disableProperty().bind(vm.running);
        open.disableProperty().bind(vm.running);
        Label info = new Label();
        info.setId("modelInfo");
        info.textProperty().bind(Bindings.createStringBinding(() -> {
            ModelPreview p = vm.model.get();
            return p == null ? "no model" : String.format(Locale.ROOT,
                    "%s · %d conv/linear layers · %,d params · %,d MACs · dense %.2f%% on %s", p.info().name(),
                    p.layers().size(), p.params(), p.macs(), 100 * p.info().testAccuracy(), p.info().dataset());
        }, vm.model));
        Label device = new Label("device: " + Devices.describe());
        device.setTooltip(new Tooltip("PyTorch native libraries: " + io.otprune.util.Versions.nativeCache()
                + " (set DJL_CACHE_DIR to move them); runs: " + RUNS));
        Label modelLabel = new Label("Model");
        Label dataLabel = new Label("Data");
        for (Label l : List.of(modelLabel, dataLabel, device)) {
            l.setMinWidth(Label.USE_PREF_SIZE);
        }
        models.setMinWidth(190);
        data.setMinWidth(190);
        open.setMinWidth(Label.USE_PREF_SIZE);
        HBox bar = new HBox(10, modelLabel, models, open, openOnnx, dataLabel, data, openData, spacer(), device);
        bar.setAlignment(Pos.CENTER_LEFT);
        info.setStyle("-fx-text-fill: #444;");
        VBox box = new VBox(4, bar, info);
        box.setPadding(new Insets(8));
        return box;
    }

    private Node controls() {
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.setPadding(new Insets(8));
        int row = 0;
        Slider slider = new Slider(0, 0.99, vm.sparsity.get());
        slider.setId("sparsitySlider");
        slider.setBlockIncrement(0.01);
        slider.setMajorTickUnit(0.25);
        slider.setShowTickMarks(true);
        slider.valueProperty().bindBidirectional(vm.sparsity);
        tip(slider, "Fraction of the budget to remove (arrow keys move it by 1%)");
        TextField field = new TextField();
        field.setId("sparsityField");
        field.setPrefColumnCount(5);
        tip(field, "Sparsity as a number in [0, 0.99]; Enter applies it");
        vm.sparsity.addListener((o, a, b) -> field.setText(String.format(Locale.ROOT, "%.4f", b.doubleValue())));
        field.setText(String.format(Locale.ROOT, "%.4f", vm.sparsity.get()));
        field.setOnAction(e -> {
            try {
                double v = Double.parseDouble(field.getText().trim());
                if (!(v >= 0 && v <= 0.99)) {
                    throw new NumberFormatException();
                }
                vm.sparsity.set(v);
            } catch (NumberFormatException ex) {
                field.setText(String.format(Locale.ROOT, "%.4f", vm.sparsity.get()));
                vm.error.set("");
                vm.error.set("Sparsity must be a number between 0 and 0.99");
            }
        });
        g.addRow(row++, new Label("Sparsity"), new HBox(6, slider, field));
        Label preview = new Label();
        preview.setId("preview");
        preview.setWrapText(true);
        preview.setMaxWidth(330);
        preview.textProperty().bind(vm.previewText);
        tip(preview, "What the setting keeps if pruning started from the weight magnitudes (exact budget)");
        g.add(preview, 0, row++, 2, 1);

        ToggleButton unstructured = new ToggleButton("Unstructured");
        unstructured.setId("unstructured");
        ToggleButton structured = new ToggleButton("Structured");
        structured.setId("structured");
        ToggleButton depth = new ToggleButton("Depth");
        depth.setId("depth");
        SegmentedButton gran = new SegmentedButton(unstructured, structured, depth);
        unstructured.setSelected(true);
        java.util.Map<PruneConfig.Granularity, ToggleButton> granButtons = new java.util.EnumMap<>(java.util.Map.of(
                PruneConfig.Granularity.UNSTRUCTURED, unstructured, PruneConfig.Granularity.STRUCTURED, structured,
                PruneConfig.Granularity.DEPTH, depth));
        granButtons.forEach((kind, b) -> b.setOnAction(e -> {
            b.setSelected(true);
            vm.granularity.set(kind);
        }));
        vm.granularity.addListener((o, a, b) -> granButtons.get(b).setSelected(true));
        tip(unstructured, "Prune single weights (sparse masks, no speed-up on dense kernels)");
        tip(structured, "Prune whole channels: a physically smaller, faster model");
        tip(depth, "Remove whole residual blocks (resnet20): a shallower model, faster on every device");
        gran.disableProperty().bind(vm.running);
        g.addRow(row++, new Label("Granularity"), gran);
        g.addRow(row++, new Label("Budget"), enumBox("budget", vm.budget, PruneConfig.Budget.values(),
                "What sparsity measures: units, parameters, multiply-adds, or (depth) measured block latency"));
        g.addRow(row++, new Label("Scope"), enumBox("scope", vm.scope, PruneConfig.Scope.values(),
                "Global: per-layer sparsity is learned; layer: every layer at the same ratio"));
        g.addRow(row++, new Label("Method"), enumBox("method", vm.method, PruneConfig.Method.values(),
                "DTP (optimal transport); GMP, magnitude, random; EGP (entropy-guided, weights); CPOT (barycenter, channels)"));
        g.addRow(row++, new Label("Temperature"), enumBox("temperature", vm.temperature,
                PruneConfig.TemperatureMode.values(), "auto: ε steered by mask sharpness; schedule: ε₀ → ε₀/1000"));
        Spinner<Double> eps0 = new Spinner<>(0.01, 5.0, vm.eps0.get(), 0.05);
        eps0.setEditable(true);
        eps0.valueProperty().addListener((o, a, b) -> vm.eps0.set(b));
        tip(eps0, "Initial temperature ε₀ of the transport plan (scores have mean 1)");
        eps0.disableProperty().bind(vm.running);
        g.addRow(row++, new Label("ε₀"), eps0);
        g.addRow(row++, new Label("Prune epochs"), intSpinner(vm.pruneEpochs, 0, 50, "Epochs with soft masks (DTP) or gradual pruning (GMP)"));
        g.addRow(row++, new Label("Fine-tune epochs"), intSpinner(vm.finetuneEpochs, 0, 50, "Epochs with the hard mask fixed"));
        g.addRow(row++, new Label("Seed"), intSpinner(vm.seed, 0, 1_000_000, "Random seed of the run"));
        ComboBox<String> device = new ComboBox<>(javafx.collections.FXCollections.observableArrayList("auto", "cpu", "gpu"));
        device.valueProperty().bindBidirectional(vm.device);
        device.disableProperty().bind(vm.running);
        tip(device, "Where the run computes: " + Devices.describe());
        g.addRow(row++, new Label("Device"), device);

        Button start = new Button("Start");
        start.setId("start");
        start.setDefaultButton(true);
        start.disableProperty().bind(vm.running.or(vm.model.isNull()));
        start.setOnAction(e -> vm.start());
        tip(start, "Start pruning with these settings (Space)");
        Button pause = new Button();
        pause.setId("pause");
        pause.textProperty().bind(Bindings.when(vm.paused).then("Resume").otherwise("Pause"));
        pause.disableProperty().bind(vm.running.not());
        pause.setOnAction(e -> vm.togglePause());
        tip(pause, "Pause or resume the run (Space)");
        Button stop = new Button("Stop");
        stop.setId("stop");
        stop.disableProperty().bind(vm.running.not());
        stop.setOnAction(e -> vm.stop());
        tip(stop, "Stop the run within one training step (Esc)");
        g.add(new HBox(8, start, pause, stop), 0, row++, 2, 1);
        ProgressBar bar = new ProgressBar();
        bar.setId("progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(vm.progress);
        g.add(bar, 0, row++, 2, 1);
        Label status = new Label();
        status.setId("status");
        status.setWrapText(true);
        status.setMaxWidth(330);
        status.textProperty().bind(vm.status);
        g.add(status, 0, row++, 2, 1);
        ScrollPane sp = new ScrollPane(g);
        sp.setFitToWidth(true);
        sp.setPrefWidth(380);
        return sp;
    }

    private <E extends Enum<E>> ComboBox<E> enumBox(String id, javafx.beans.property.ObjectProperty<E> p, E[] values,
            String tip) {
        ComboBox<E> box = new ComboBox<>(javafx.collections.FXCollections.observableArrayList(values));
        box.setId(id);
        box.valueProperty().bindBidirectional(p);
        box.disableProperty().bind(vm.running);
        tip(box, tip);
        return box;
    }

    private Spinner<Integer> intSpinner(javafx.beans.property.IntegerProperty p, int min, int max, String tip) {
        Spinner<Integer> s = new Spinner<>(min, max, p.get());
        s.setEditable(true);
        s.setPrefWidth(100);
        s.valueProperty().addListener((o, a, b) -> p.set(b));
        s.disableProperty().bind(vm.running);
        tip(s, tip);
        return s;
    }

    private Node charts() {
        XYSeriesCollection lossData = new XYSeriesCollection(loss);
        XYSeriesCollection accData = new XYSeriesCollection();
        accData.addSeries(trainAcc);
        accData.addSeries(testAcc);
        XYSeriesCollection sharpData = new XYSeriesCollection();
        sharpData.addSeries(sharp);
        sharpData.addSeries(kept);
        XYSeriesCollection epsData = new XYSeriesCollection(eps);
        histChart = Charts.histogram(histData);
        histLayer.setId("histLayer");
        tip(histLayer, "Layer (unit set) whose importance scores and mask the views below show");
        histLayer.setOnAction(e -> {
            redrawHistogram();
            redrawMask();
        });
        GridPane grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(6);
        grid.setPadding(new Insets(6));
        lossChart = Charts.line("Loss", "epoch", "loss", lossData);
        accuracyChart = Charts.line("Accuracy", "epoch", "accuracy", accData);
        sharpnessChart = Charts.line("Mask sharpness and kept share", "epoch", "fraction", sharpData);
        epsilonChart = Charts.logLine("Temperature", "epoch", "ε", epsData);
        layerChart = Charts.bars("Kept per layer", layerData);
        grid.add(viewer(lossChart, "lossChart"), 0, 0);
        grid.add(viewer(accuracyChart, "accuracyChart"), 1, 0);
        grid.add(viewer(sharpnessChart, "sharpnessChart"), 0, 1);
        grid.add(viewer(epsilonChart, "epsilonChart"), 1, 1);
        entropyChart = Charts.bars("Activation entropy per ReLU (egp)", "bits / share", entropyData);
        TabPane views = new TabPane(new Tab("Histogram", viewer(histChart, "histogramChart")),
                new Tab("Mask", maskView), new Tab("Entropy", viewer(entropyChart, "entropyChart")));
        layerViews = views;
        views.setId("layerViews");
        views.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        VBox hist = new VBox(4, new HBox(6, new Label("Layer"), histLayer), grow(views));
        grid.add(hist, 0, 2);
        grid.add(viewer(layerChart, "layerChart"), 1, 2);
        for (int c = 0; c < 2; c++) {
            javafx.scene.layout.ColumnConstraints cc = new javafx.scene.layout.ColumnConstraints();
            cc.setPercentWidth(50);
            grid.getColumnConstraints().add(cc);
        }
        for (int r = 0; r < 3; r++) {
            javafx.scene.layout.RowConstraints rc = new javafx.scene.layout.RowConstraints();
            rc.setPercentHeight(r == 2 ? 40 : 30); // the layer views need the room
            grid.getRowConstraints().add(rc);
        }
        return grid;
    }

    private static <N extends javafx.scene.layout.Region> N grow(N n) {
        VBox.setVgrow(n, Priority.ALWAYS);
        return n;
    }

    private ChartViewer viewer(JFreeChart chart, String id) {
        ChartViewer v = new ChartViewer(chart);
        v.setId(id);
        v.setMinSize(200, 90);
        return v;
    }

    private Node bottom() {
        TableView<ModelPreview.LayerRow> table = new TableView<>();
        table.setId("layers");
        table.getColumns().add(col("layer", ModelPreview.LayerRow::name));
        table.getColumns().add(col("kind", ModelPreview.LayerRow::kind));
        table.getColumns().add(col("shape", ModelPreview.LayerRow::shape));
        table.getColumns().add(col("units", r -> String.format(Locale.ROOT, "%,d", r.units())));
        table.getColumns().add(col("params", r -> String.format(Locale.ROOT, "%,d", r.params())));
        table.getColumns().add(col("MACs", r -> String.format(Locale.ROOT, "%,d", r.macs())));
        table.setPrefHeight(170);
        vm.model.addListener((o, a, b) -> {
            table.getItems().setAll(b == null ? List.of() : b.layers());
            histLayer.getItems().setAll(b == null ? List.of() : b.setNames(vm.granularity.get()));
            histLayer.getSelectionModel().selectFirst();
        });
        vm.granularity.addListener((o, a, b) -> {
            if (vm.model.get() != null) {
                histLayer.getItems().setAll(vm.model.get().setNames(b));
                histLayer.getSelectionModel().selectFirst();
            }
        });
        Label result = new Label("Results appear here when a run ends.");
        result.setId("summary");
        result.setWrapText(true);
        result.setStyle("-fx-font-family: monospace;");
        vm.summary.addListener((o, a, s) -> result.setText(s == null ? "" : card(s)));
        ScrollPane rs = new ScrollPane(result);
        rs.setFitToWidth(true);
        rs.setPrefHeight(140);
        Button exportModel = new Button("Export model…");
        exportModel.setId("exportModel");
        tip(exportModel, "Copy the pruned model (compact for structured runs) to a new folder");
        exportModel.setOnAction(e -> exportModel(window(rs)));
        Button exportOnnx = new Button("Export ONNX…");
        exportOnnx.setId("exportOnnx");
        tip(exportOnnx, "Write the pruned model (compact for structured and depth runs) as ONNX opset 13, checked by "
                + "running it in ONNX Runtime against this model (not written if they differ by more than 1e-4)");
        exportOnnx.setOnAction(e -> {
            javafx.stage.FileChooser ch = new javafx.stage.FileChooser();
            ch.setTitle("ONNX file to write");
            ch.setInitialFileName(vm.lastRunDir.get() == null ? "model.onnx" : vm.lastRunDir.get().getFileName()
                    + ".onnx");
            File f = ch.showSaveDialog(window(rs));
            if (f != null) {
                vm.exportOnnx(f.toPath());
            }
        });
        Button exportCsv = new Button("Export metrics CSV…");
        exportCsv.setId("exportCsv");
        tip(exportCsv, "Write the run's step, epoch and prune events as CSV files into a folder");
        exportCsv.setOnAction(e -> exportCsv(window(rs)));
        Label reproduce = new Label();
        reproduce.setWrapText(true);
        reproduce.textProperty().bind(Bindings.createStringBinding(() -> vm.lastRunDir.get() == null ? ""
                : "run.json (reproduce with the CLI: its \"command\"): " + vm.lastRunDir.get().resolve("run.json"),
                vm.lastRunDir));
        for (Button b : List.of(exportModel, exportOnnx, exportCsv)) {
            b.disableProperty().bind(vm.summary.isNull());
        }
        tip(reproduce, "Charts export to PNG from their right-click menu");
        VBox resultBox = new VBox(6, rs, new HBox(8, exportModel, exportOnnx, exportCsv), reproduce);
        resultBox.setPadding(new Insets(4));
        DataPreviewPane dataPreview = new DataPreviewPane();
        vm.dataSamples.addListener((o, a, d) -> dataPreview.show(d));
        dataPreview.show(vm.dataSamples.get());
        ConfusionMatrixPane confusion = new ConfusionMatrixPane();
        vm.summary.addListener((o, a, s) -> confusion.show(s == null ? null : s.confusion()));
        TabPane tabs = new TabPane(new Tab("Layers", table), new Tab("Result", resultBox),
                new Tab("History", history()), new Tab("Data", dataPreview), new Tab("Confusion", confusion));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        bottomTabs = tabs;
        vm.summary.addListener((o, a, s) -> {
            if (s != null) {
                tabs.getSelectionModel().select(1);
            }
        });
        return tabs;
    }

    /** Finished runs (this session's and the runs folder's) and the accuracy-vs-sparsity chart of the chosen ones. */
    private Node history() {
        historyTable.setId("history");
        historyTable.setPrefHeight(170);
        historyTable.getSelectionModel().setSelectionMode(javafx.scene.control.SelectionMode.MULTIPLE);
        historyTable.getColumns().add(col("finished", e -> java.time.format.DateTimeFormatter.ofPattern("MM-dd HH:mm")
                .withZone(java.time.ZoneId.systemDefault()).format(e.finished())));
        historyTable.getColumns().add(col("model", e -> Path.of(e.model()).getFileName().toString()));
        historyTable.getColumns().add(col("data", RunHistory.Entry::data));
        historyTable.getColumns().add(col("method", e -> e.summary().method().toLowerCase(Locale.ROOT)));
        historyTable.getColumns().add(col("granularity", e -> e.summary().granularity().toLowerCase(Locale.ROOT)));
        historyTable.getColumns().add(col("budget", e -> e.summary().budget().toLowerCase(Locale.ROOT)));
        historyTable.getColumns().add(col("sparsity", e -> String.format(Locale.ROOT, "%.4f",
                e.summary().achievedSparsity())));
        historyTable.getColumns().add(col("dense", e -> String.format(Locale.ROOT, "%.2f%%",
                100 * e.summary().denseAccuracy())));
        historyTable.getColumns().add(col("final", e -> String.format(Locale.ROOT, "%.2f%%",
                100 * e.summary().finalAccuracy())));
        historyTable.getColumns().add(col("folder", RunHistory.Entry::name));
        historyTable.setItems(vm.history);
        historyTable.setPlaceholder(new Label("No finished runs in " + vm.runsRoot() + " yet."));
        tip(historyTable, "Finished runs in " + vm.runsRoot() + "; select several (Ctrl/Shift) to compare them");
        historyTable.getSelectionModel().getSelectedItems().addListener(
                (javafx.collections.ListChangeListener<RunHistory.Entry>) c -> redrawComparison());
        String compare = System.getProperty("otprune.compare", ""); // documentation screenshots: a model's runs
        vm.history.addListener((javafx.collections.ListChangeListener<RunHistory.Entry>) c -> {
            if (historyTable.getSelectionModel().isEmpty() && !vm.history.isEmpty()) {
                // compare everything until the user chooses; one selection change, so one chart rebuild
                int[] rows = java.util.stream.IntStream.range(0, vm.history.size())
                        .filter(i -> vm.history.get(i).model().contains(compare)).toArray();
                if (rows.length > 0) {
                    historyTable.getSelectionModel().selectIndices(rows[0],
                            java.util.Arrays.copyOfRange(rows, 1, rows.length));
                }
            }
        });
        Button refresh = new Button("Rescan");
        refresh.setId("historyRefresh");
        tip(refresh, "Read the runs folder again (runs made by the CLI into it appear too)");
        refresh.setOnAction(e -> vm.refreshHistory());
        Label skipped = new Label();
        skipped.textProperty().bind(Bindings.createStringBinding(() -> vm.historySkipped.get() == 0 ? ""
                : vm.historySkipped.get() + " folder(s) that are not runs, not listed", vm.historySkipped));
        // interrupted runs (killed, stopped, failed: run.json without summary.json), each resumable
        javafx.scene.control.ListView<RunHistory.Interrupted> broken = new javafx.scene.control.ListView<>(
                vm.interrupted);
        broken.setId("interrupted");
        broken.setPrefHeight(64);
        broken.setCellFactory(v -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(RunHistory.Interrupted i, boolean empty) {
                super.updateItem(i, empty);
                setText(empty || i == null ? null : String.format(Locale.ROOT, "interrupted · %s · %s %s %.4f · %s · %s",
                        Path.of(i.model()).getFileName(), i.method(), i.granularity(), i.sparsity(), i.progress(),
                        i.name()));
            }
        });
        broken.setPlaceholder(new Label("No interrupted runs."));
        tip(broken, "Runs that did not finish (killed, stopped or failed); Resume continues one from the end of its "
                + "last finished epoch");
        Button resume = new Button("Resume");
        resume.setId("historyResume");
        tip(resume, "Continue the selected interrupted run from its last checkpoint, in its own folder");
        resume.disableProperty().bind(broken.getSelectionModel().selectedItemProperty().isNull().or(vm.running));
        resume.setOnAction(e -> vm.resumeRun(broken.getSelectionModel().getSelectedItem()));
        VBox left = new VBox(4, grow(historyTable), new HBox(8, refresh, skipped), broken, resume);
        comparisonChart = Charts.comparison(comparisonData);
        ChartViewer chart = viewer(comparisonChart, "comparisonChart");
        javafx.scene.control.SplitPane split = new javafx.scene.control.SplitPane(left, chart);
        split.setDividerPositions(0.45);
        split.setPrefHeight(200);
        return split;
    }

    private void redrawComparison() {
        comparisonData.removeAllSeries();
        List<RunHistory.Entry> chosen = List.copyOf(historyTable.getSelectionModel().getSelectedItems());
        comparisonChart.getXYPlot().clearRangeMarkers();
        WorkbenchViewModel.denseAccuracies(chosen).forEach((model, acc) -> comparisonChart.getXYPlot().addRangeMarker(
                Charts.marker(acc, String.format(Locale.ROOT, "%s dense %.2f%%", model, 100 * acc))));
        WorkbenchViewModel.comparison(chosen)
                .forEach((name, points) -> {
                    XYSeries s = new XYSeries(name, false, true);
                    Charts.fill(s, points);
                    comparisonData.addSeries(s);
                });
    }

    private javafx.stage.Window window(Node n) {
        return n.getScene().getWindow();
    }

    private void exportModel(javafx.stage.Window owner) {
        PruneSummary s = vm.summary.get();
        DirectoryChooser ch = new DirectoryChooser();
        ch.setTitle("Folder to export the model into (a new sub-folder is created)");
        File f = ch.showDialog(owner);
        if (s == null || f == null) {
            return;
        }
        Path target = f.toPath().resolve(Path.of(s.modelDir()).getParent().getFileName() + "-model");
        try {
            io.otprune.run.RunExport.copyModel(Path.of(s.modelDir()), target);
            vm.status.set("model exported to " + target);
        } catch (java.io.IOException ex) {
            vm.error.set("Export failed: " + ex.getMessage());
        }
    }

    private void exportCsv(javafx.stage.Window owner) {
        Path run = vm.lastRunDir.get();
        DirectoryChooser ch = new DirectoryChooser();
        ch.setTitle("Folder for the metrics CSV files");
        File f = ch.showDialog(owner);
        if (run == null || f == null) {
            return;
        }
        try {
            for (String type : List.of("step", "epoch", "prune")) {
                io.otprune.run.RunExport.metricsCsv(run.resolve("metrics.jsonl"), type,
                        f.toPath().resolve(run.getFileName() + "-" + type + ".csv"));
            }
            vm.status.set("metrics written to " + f);
        } catch (java.io.IOException | RuntimeException ex) {
            vm.error.set("Export failed: " + ex.getMessage());
        }
    }

    static String card(PruneSummary s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s · %s · %s budget · %s scope%n", s.method(), s.granularity(), s.budget(),
                s.scope()));
        b.append(String.format(Locale.ROOT, "accuracy: dense %.2f%% → pruned %.2f%% (hardening gap %+.2f points, "
                + "sharpness at hardening %.4f)%n", 100 * s.denseAccuracy(), 100 * s.finalAccuracy(),
                100 * s.hardeningGap(), s.maskSharpnessAtHardening()));
        b.append(String.format(Locale.ROOT, "sparsity: target %.4f, achieved %.6f · units %.4f · params %.4f · FLOPs %.4f%n",
                s.targetSparsity(), s.achievedSparsity(), s.achievedUnitSparsity(), s.achievedParamSparsity(),
                s.achievedFlopSparsity()));
        b.append(String.format(Locale.ROOT, "params %,d → %,d · MACs %,d → %,d · %.0f s on %s%n", s.paramsBefore(),
                s.paramsAfter(), s.flopsBefore(), s.flopsAfter(), s.seconds(), s.device()));
        if (s.speedBefore() != null) {
            b.append(String.format(Locale.ROOT, "latency batch 1: %.3f → %.3f ms · batch 256: %.1f → %.1f ms · files %,d → %,d bytes%n",
                    s.speedBefore().batch1Ms(), s.speedAfter().batch1Ms(), s.speedBefore().batch256Ms(),
                    s.speedAfter().batch256Ms(), s.speedBefore().fileBytes(), s.speedAfter().fileBytes()));
        }
        if (!s.note().isEmpty()) {
            b.append(s.note()).append('\n');
        }
        b.append("model: ").append(s.modelDir());
        return b.toString();
    }

    /** A data set in the picker: its id, or a folder's name (the full path is in its tooltip). */
    static String dataLabel(String id) {
        Path p = Path.of(id);
        return p.getNameCount() > 1 || p.isAbsolute() ? p.getFileName() + " (folder)" : id;
    }

    private static <T> TableColumn<T, String> col(String title, java.util.function.Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new javafx.beans.property.ReadOnlyStringWrapper(value.apply(cd.getValue())));
        return c;
    }

    /**
     * Applies the view-model's series to the charts whose data changed. Rendering is left to {@link #renderQueue},
     * which the pulse drains within a time budget, so one redraw never blocks the FX thread for six renders.
     */
    private void redraw() {
        Object run = vm.lastRunDir.get();
        update(lossChart, java.util.Arrays.asList(run, vm.trainLoss.size()), () -> Charts.fill(loss, vm.trainLoss));
        update(accuracyChart, java.util.Arrays.asList(run, vm.trainAccuracy.size(), vm.testAccuracy.size()), () -> {
            Charts.fill(trainAcc, vm.trainAccuracy);
            Charts.fill(testAcc, vm.testAccuracy);
        });
        update(sharpnessChart, java.util.Arrays.asList(run, vm.sharpness.size(), vm.softKept.size()), () -> {
            Charts.fill(sharp, vm.sharpness);
            Charts.fill(kept, vm.softKept);
        });
        update(epsilonChart, java.util.Arrays.asList(run, vm.epsilon.size()), () -> Charts.fill(eps, vm.epsilon));
        String layer = histLayer.getValue();
        update(histChart, java.util.Arrays.asList(layer, layer == null ? null : vm.histogram(layer)),
                this::redrawHistogram);
        update(layerChart, java.util.Arrays.asList(vm.preview.get(), vm.lastPrune()), this::redrawLayers);
        update(entropyChart, java.util.Arrays.asList(run, vm.lastEntropy()), this::redrawEntropy);
        redrawMask();
    }

    private void update(JFreeChart chart, Object token, Runnable change) {
        if (java.util.Objects.equals(drawn.get(chart), token)) {
            return;
        }
        drawn.put(chart, token);
        renderQueue.change(chart, () -> {
            change.run();
            Charts.shapesOnlyWhenFew(chart);
        });
        Platform.requestNextPulse(); // drawn by the pulse listener of startTicker
    }

    private void redrawMask() {
        String layer = histLayer.getValue();
        ModelPreview m = vm.model.get();
        if (m == null) {
            maskView.show(null, 0, 0);
            return;
        }
        maskView.show(layer == null ? null : vm.mask(layer), m.info().graph().height(), m.info().graph().width());
    }

    private void redrawHistogram() {
        String layer = histLayer.getValue();
        RunEvent.Histogram h = layer == null ? null : vm.histogram(layer);
        histData.removeAllSeries();
        histChart.getXYPlot().clearDomainMarkers();
        if (h == null) {
            return;
        }
        XYSeries k = new XYSeries("kept", true, false);
        XYSeries p = new XYSeries("pruned", true, false);
        double w = (h.hi() - h.lo()) / h.counts().length;
        for (int i = 0; i < h.counts().length; i++) {
            double x = h.lo() + (i + 0.5) * w;
            k.add(x, h.kept()[i]);
            p.add(x, h.counts()[i] - h.kept()[i]);
        }
        histData.addSeries(k);
        histData.addSeries(p);
        histChart.getXYPlot().addDomainMarker(Charts.marker(h.tau(), String.format(Locale.ROOT, "τ = %.3g", h.tau())));
    }

    /**
     * Per ReLU: the mean binary entropy of its non-constant channels (bits) and the share of its channels that are
     * constant (always on or off); a layer whose channels are all constant is linear and marked removable.
     */
    private void redrawEntropy() {
        entropyData.clear();
        RunEvent.Entropy e = vm.lastEntropy();
        if (e == null) {
            return;
        }
        for (int i = 0; i < e.layers().size(); i++) {
            String name = e.layers().get(i);
            String label = e.removable().contains(name) ? name + " · removable" : name;
            entropyData.addValue(e.entropy().get(i), "entropy (bits)", label);
            entropyData.addValue((e.alwaysOn().get(i) + e.alwaysOff().get(i)) / (double) e.channels().get(i),
                    "constant channels (share)", label);
        }
        entropyChart.setTitle(String.format(Locale.ROOT, "Activation entropy per ReLU · %s · sparsity %.3f",
                e.iteration() > e.iterations() ? "final" : "iteration " + e.iteration() + "/" + e.iterations(),
                e.sparsity()));
    }

    private void redrawLayers() {
        layerData.clear();
        ModelPreview.Outcome o = vm.preview.get();
        if (o != null && o.error() == null) {
            for (int i = 0; i < o.layers().size(); i++) {
                layerData.addValue(o.keptFraction().get(i), "preview (magnitudes)", o.layers().get(i));
            }
        }
        RunEvent.Prune p = vm.lastPrune();
        if (p != null) {
            for (int i = 0; i < p.sets().size(); i++) {
                layerData.addValue(p.setKeptHard().get(i), "run (mask > 0.5)", p.sets().get(i));
            }
        }
    }

    private static javafx.scene.layout.Region spacer() {
        javafx.scene.layout.Region r = new javafx.scene.layout.Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    private static void tip(javafx.scene.control.Control c, String text) {
        c.setTooltip(new Tooltip(text));
    }

    private void savePrefs() {
        if (vm.modelDir.get() != null) {
            prefs.put("model", vm.modelDir.get().toAbsolutePath().toString());
        }
        prefs.putDouble("sparsity", vm.sparsity.get());
        prefs.put("granularity", vm.granularity.get().name());
        prefs.put("budget", vm.budget.get().name());
        prefs.put("scope", vm.scope.get().name());
        prefs.put("method", vm.method.get().name());
    }

    private void restorePrefs() {
        if (Boolean.getBoolean("otprune.noPrefs")) {
            return;
        }
        try {
            vm.sparsity.set(prefs.getDouble("sparsity", vm.sparsity.get()));
            vm.granularity.set(PruneConfig.Granularity.valueOf(prefs.get("granularity", vm.granularity.get().name())));
            vm.budget.set(PruneConfig.Budget.valueOf(prefs.get("budget", vm.budget.get().name())));
            vm.scope.set(PruneConfig.Scope.valueOf(prefs.get("scope", vm.scope.get().name())));
            vm.method.set(PruneConfig.Method.valueOf(prefs.get("method", vm.method.get().name())));
        } catch (IllegalArgumentException e) {
            // preferences from another version: keep the defaults
        }
    }
}
