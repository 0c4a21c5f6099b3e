package io.otprune.ui;

import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelStore;
import io.otprune.prune.PruneConfig;
import io.otprune.run.SensitivityScan;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The sensitivity scan of the chosen model ({@link SensitivityScan}): a heatmap of the accuracy drop per layer (or
 * channel group) and sparsity, the same as lines, a Scan button that runs on a background thread with progress and
 * Stop, the saved scan shown when there is one, and "Set floors", which puts the floors at a tolerated drop into the
 * next run's configuration ({@link WorkbenchViewModel#floors}).
 */
public final class SensitivityPane extends BorderPane implements WorkbenchView {
    /** Drops at or above this many points are drawn in the darkest colour. */
    static final double DARKEST_DROP = 10;

    private final WorkbenchViewModel vm;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "otprune-sensitivity");
        t.setDaemon(true);
        return t;
    });
    private final ObjectProperty<SensitivityScan.Result> result = new SimpleObjectProperty<>();
    private final Button scan = new Button("Scan");
    private final Button stop = new Button("Stop");
    private final Button setFloors = new Button("Set floors");
    private final Button fitFloors = new Button("Fit to budget");
    private final TextField subset = new TextField("1000");
    private final Spinner<Double> tolerance = new Spinner<>(0.0, 100.0, 1.0, 0.5);
    private final ProgressBar progress = new ProgressBar(0);
    private final Label status = new Label("Scan: each layer pruned alone by magnitude, on training images.");
    private final Label floorsText = new Label("");
    private final GridPane heatmap = new GridPane();
    private final XYSeriesCollection lines = new XYSeriesCollection();
    private final JFreeChart chart = Charts.line("Accuracy drop per layer", "sparsity of that layer alone",
            "accuracy drop (points)", lines);
    private volatile RunControl control;
    private final javafx.beans.InvalidationListener reload = o -> loadSaved();

    public SensitivityPane(WorkbenchViewModel vm) {
        this.vm = vm;
        setId("sensitivityPane");
        scan.setId("sensitivityScan");
        stop.setId("sensitivityStop");
        setFloors.setId("sensitivitySetFloors");
        fitFloors.setId("sensitivityFitFloors");
        fitFloors.setTooltip(new Tooltip("Raise the tolerance to the smallest whose floors the sparsity and budget "
                + "above can meet, and set those floors"));
        subset.setId("sensitivitySubset");
        tolerance.setId("sensitivityTolerance");
        progress.setId("sensitivityProgress");
        status.setId("sensitivityStatus");
        floorsText.setId("sensitivityFloors");
        heatmap.setId("sensitivityHeatmap");
        subset.setPrefColumnCount(5);
        subset.setTooltip(new Tooltip("Training images evaluated per point (never the test set)"));
        tolerance.setEditable(true);
        tolerance.setPrefWidth(80);
        tolerance.setTooltip(new Tooltip("Accuracy drop in points a layer may take; its floor keeps the rest"));
        stop.setDisable(true);
        setFloors.setDisable(true);
        fitFloors.disableProperty().bind(setFloors.disableProperty().or(vm.modelDir.isNull()));
        scan.disableProperty().bind(vm.running.or(vm.modelDir.isNull()).or(stop.disableProperty().not()));
        scan.setOnAction(e -> startScan());
        stop.setOnAction(e -> {
            RunControl c = control;
            if (c != null) {
                c.cancel();
            }
        });
        setFloors.setOnAction(e -> applyFloors());
        fitFloors.setOnAction(e -> fitToBudget());
        subset.setOnAction(e -> loadSaved());
        HBox controls = new HBox(6, scan, stop, new Label("images"), subset, progress, new Label("tolerance"),
                tolerance, setFloors, fitFloors);
        controls.setAlignment(Pos.CENTER_LEFT);
        controls.setPadding(new Insets(4));
        setTop(new VBox(2, controls, status, floorsText));

        heatmap.setHgap(1);
        heatmap.setVgap(1);
        ScrollPane scroll = new ScrollPane(heatmap);
        scroll.setId("sensitivityHeatmapScroll");
        scroll.setFitToWidth(false);
        ChartViewer viewer = ViewParts.viewer(chart, "sensitivityChart");
        viewer.setMinSize(200, 120);
        SplitPane split = new SplitPane(scroll, viewer);
        split.setDividerPositions(0.5);
        setCenter(split);

        result.addListener((o, a, r) -> show(r));
        vm.modelDir.addListener(reload);
        vm.dataId.addListener(reload);
        vm.granularity.addListener(reload);
        loadSaved();
    }

    /** The scan shown now (null before one is loaded or run). */
    public ObjectProperty<SensitivityScan.Result> result() {
        return result;
    }

    /** What the controls ask for: the chosen data, granularity (depth scans per layer) and subset. */
    SensitivityScan.Settings settings() {
        int n;
        try {
            n = Integer.parseInt(subset.getText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("images: '" + subset.getText().trim() + "' is not a whole number");
        }
        PruneConfig.Granularity g = vm.granularity.get() == PruneConfig.Granularity.STRUCTURED
                ? PruneConfig.Granularity.STRUCTURED : PruneConfig.Granularity.UNSTRUCTURED;
        return SensitivityScan.Settings.builder().data(vm.dataId.get()).granularity(g).subset(n).build();
    }

    private void loadSaved() {
        Path dir = vm.modelDir.get();
        result.set(null);
        if (dir == null || worker.isShutdown()) {
            return;
        }
        SensitivityScan.Settings s;
        try {
            s = settings();
        } catch (IllegalArgumentException e) {
            return;
        }
        worker.submit(() -> {
            try {
                SensitivityScan.Result r = SensitivityScan.load(dir, s);
                if (r != null) {
                    Platform.runLater(() -> {
                        if (dir.equals(vm.modelDir.get())) {
                            result.set(r);
                            status.setText("saved scan of " + dir.getFileName() + " (" + r.images()
                                    + " training images)");
                        }
                    });
                }
            } catch (Exception e) {
                // no saved scan to show: the Scan button computes one
            }
        });
    }

    private void startScan() {
        Path dir = vm.modelDir.get();
        SensitivityScan.Settings s;
        try {
            s = settings();
        } catch (IllegalArgumentException e) {
            status.setText(e.getMessage());
            return;
        }
        RunControl c = new RunControl();
        control = c;
        stop.setDisable(false);
        progress.setProgress(0);
        status.setText("scanning " + dir.getFileName() + " …");
        String device = vm.device.get();
        worker.submit(() -> {
            try {
                SensitivityScan.Result r = SensitivityScan.scan(dir, s, device, this::onEvent, c);
                Platform.runLater(() -> {
                    result.set(r);
                    progress.setProgress(1);
                    status.setText(String.format(Locale.ROOT, "scanned %d %s × %d sparsities on %d training "
                            + "images in %.1f s", r.rows().size(), s.granularity() == PruneConfig.Granularity
                            .STRUCTURED ? "channel groups" : "layers", s.sparsities().size(), r.images(),
                            r.seconds()));
                });
            } catch (RunCancelledException e) {
                Platform.runLater(() -> status.setText("scan stopped; nothing saved"));
            } catch (Exception | OutOfMemoryError e) {
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                Platform.runLater(() -> status.setText("scan failed: " + msg.replace('\n', ' ')));
            } finally {
                Platform.runLater(() -> stop.setDisable(true));
            }
        });
    }

    private void onEvent(RunEvent e) {
        if (e instanceof RunEvent.Step st && st.totalSteps() > 0) {
            double f = (double) st.globalStep() / st.totalSteps();
            Platform.runLater(() -> {
                progress.setProgress(f);
                status.setText(String.format(Locale.ROOT, "scanning: %d of %d", st.globalStep(), st.totalSteps()));
            });
        }
    }

    private void applyFloors() {
        SensitivityScan.Result r = result.get();
        if (r == null) {
            return;
        }
        Map<String, Double> f = r.floors(tolerance.getValue());
        vm.floors.set(f);
        StringBuilder b = new StringBuilder();
        for (var en : f.entrySet()) {
            b.append(b.length() > 0 ? ", " : "").append(en.getKey()).append(" ≥ ").append(en.getValue());
        }
        floorsText.setText(String.format(Locale.ROOT, "next run keeps at least (drop ≤ %s points): %s",
                tolerance.getValue(), b));
    }

    /** The floors at the smallest tolerance (from the spinner's up) that the next run's budget can meet. */
    private void fitToBudget() {
        SensitivityScan.Result r = result.get();
        Path dir = vm.modelDir.get();
        if (r == null || dir == null) {
            return;
        }
        PruneConfig pc;
        try {
            pc = vm.pruneConfig();
        } catch (IllegalArgumentException e) {
            floorsText.setText(e.getMessage());
            return;
        }
        double from = tolerance.getValue();
        worker.submit(() -> {
            try {
                SensitivityScan.Fit fit = r.fitFloors(ModelStore.readInfo(dir).graph(), pc, from);
                Platform.runLater(() -> {
                    tolerance.getValueFactory().setValue(fit.tolerancePoints());
                    applyFloors();
                });
            } catch (IllegalArgumentException | ModelFormatException e) {
                Platform.runLater(() -> floorsText.setText(e.getMessage()));
            }
        });
    }

    private void show(SensitivityScan.Result r) {
        heatmap.getChildren().clear();
        lines.removeAllSeries();
        setFloors.setDisable(r == null);
        if (r == null) {
            return;
        }
        java.util.List<Double> sp = r.settings().sparsities();
        Label corner = new Label(String.format(Locale.ROOT, "drop (points), dense %.2f%%", 100 * r.dense()));
        corner.setStyle("-fx-font-size: 10px;");
        heatmap.add(corner, 0, 0);
        for (int k = 0; k < sp.size(); k++) {
            Label h = new Label(String.valueOf(sp.get(k)));
            h.setMinWidth(46);
            h.setAlignment(Pos.CENTER);
            heatmap.add(h, k + 1, 0);
        }
        for (int i = 0; i < r.rows().size(); i++) {
            SensitivityScan.Row row = r.rows().get(i);
            Label name = new Label(row.set());
            name.setMinWidth(Label.USE_PREF_SIZE);
            name.setTooltip(new Tooltip(row.set() + " · " + row.units() + " units"));
            heatmap.add(name, 0, i + 1);
            XYSeries series = new XYSeries(row.set());
            for (int k = 0; k < sp.size(); k++) {
                double drop = r.dropPoints(i, k);
                Label cell = new Label(String.format(Locale.ROOT, "%.1f", drop));
                cell.setId("cell-" + i + "-" + k);
                cell.setMinWidth(46);
                cell.setAlignment(Pos.CENTER);
                int argb = dropArgb(drop);
                cell.setStyle(String.format("-fx-background-color: #%06x; -fx-text-fill: %s; -fx-font-size: 10px;",
                        argb & 0xFFFFFF, Math.max(0, drop) > DARKEST_DROP / 2 ? "white" : "black"));
                cell.setTooltip(new Tooltip(String.format(Locale.ROOT, "%s at %s: accuracy %.2f%% (drop %.2f points)",
                        row.set(), sp.get(k), 100 * row.accuracy().get(k), drop)));
                heatmap.add(cell, k + 1, i + 1);
                series.add((double) sp.get(k), drop);
            }
            lines.addSeries(series);
        }
        // a legend of 60 layers hides the plot: the heatmap names them instead
        if (chart.getLegend() != null) {
            chart.getLegend().setVisible(r.rows().size() <= 12);
        }
    }

    /** Colour of a drop: white at no drop (or a gain), dark red at {@value #DARKEST_DROP} points and more. */
    static int dropArgb(double dropPoints) {
        double t = Math.max(0, Math.min(1, dropPoints / DARKEST_DROP));
        int r = (int) Math.round(255 + (0x8e - 255) * t);
        int g = (int) Math.round(255 + (0x0b - 255) * t);
        int b = (int) Math.round(255 + (0x0b - 255) * t);
        return 0xFF000000 | r << 16 | g << 8 | b;
    }

    @Override
    public javafx.scene.Node node() {
        return this;
    }

    @Override
    public void close() {
        shutdown();
    }

    /** Stops a scan in progress and the pane's thread (window closing). */
    public void shutdown() {
        RunControl c = control;
        if (c != null) {
            c.cancel();
        }
        vm.modelDir.removeListener(reload);
        vm.dataId.removeListener(reload);
        vm.granularity.removeListener(reload);
        worker.shutdown();
    }
}
