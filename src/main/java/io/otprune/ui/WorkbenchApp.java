package io.otprune.ui;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * The workbench window: builds the views of {@link WorkbenchViews} and lays out their areas (model and data on top,
 * run controls on the left, the run's curves in the middle with the selected layer's views and the kept share per
 * layer below them, the tabs of layers, result and history at the bottom); keys, drag and drop, and quitting. All
 * state lives in {@link WorkbenchViewModel}; the views only lay out and bind.
 */
public class WorkbenchApp extends Application {
    static final Path SAMPLE_MODELS = Path.of(System.getProperty("otprune.samples", "sample-models"));
    static final Path RUNS = Path.of(System.getProperty("otprune.runs",
            System.getProperty("user.home") + File.separator + ".otprune" + File.separator + "runs"));

    private WorkbenchViewModel vm;
    private ChartScheduler charts;
    /** Every view built, to close them when the window closes. */
    private final List<WorkbenchView> built = new ArrayList<>();
    private final WindowPreferences prefs = new WindowPreferences();
    private final UiPerformance perf = UiPerformance.fromSystemProperties();
    /** The tabs of the tab areas by their titles, for {@link WorkbenchView.Context#reveal}. */
    private final Map<String, Tab> tabs = new HashMap<>();

    /** Charts changed but not drawn yet (for tests: the pulse listener draws them without being polled). */
    int pendingChartDraws() {
        return charts.pending();
    }

    /** The view-model (for tests). */
    public WorkbenchViewModel viewModel() {
        return vm;
    }

    @Override
    public void start(Stage stage) {
        vm = new WorkbenchViewModel(Platform::runLater, SAMPLE_MODELS, RUNS);
        charts = new ChartScheduler(vm, perf);
        WorkbenchView.Context ctx = new WorkbenchView.Context(vm, charts, () -> stage, this::reveal);
        Map<WorkbenchViews.Area, List<WorkbenchView>> views = new EnumMap<>(WorkbenchViews.Area.class);
        Map<WorkbenchView, String> titles = new HashMap<>();
        for (WorkbenchViews.Placement p : WorkbenchViews.ALL) {
            WorkbenchView v = p.view().apply(ctx);
            built.add(v);
            views.computeIfAbsent(p.area(), a -> new ArrayList<>()).add(v);
            titles.put(v, p.title());
        }
        BorderPane root = new BorderPane();
        root.setTop(stack(views.get(WorkbenchViews.Area.TOP)));
        root.setLeft(stack(views.get(WorkbenchViews.Area.LEFT)));
        TabPane layerViews = tabPane(views.get(WorkbenchViews.Area.LAYER_TABS), titles);
        layerViews.setId("layerViews");
        TabPane bottom = tabPane(views.get(WorkbenchViews.Area.BOTTOM_TABS), titles);
        bottom.setId("bottomTabs");
        // charts above, layers/result/history below; the divider lets the history's chart have the room
        SplitPane centre = new SplitPane(chartGrid(stack(views.get(WorkbenchViews.Area.CHARTS)),
                new VBox(4, stack(views.get(WorkbenchViews.Area.LAYER_BAR)), ViewParts.grow(layerViews)),
                stack(views.get(WorkbenchViews.Area.LAYER_SIDE))), bottom);
        centre.setOrientation(Orientation.VERTICAL);
        centre.setDividerPositions(ScreenshotHooks.centreDivider());
        root.setCenter(centre);
        Scene scene = new Scene(root, prefs.width(), prefs.height());
        keysAndDrops(scene);
        stage.setTitle("OTPrune Workbench");
        InputStream icon = WorkbenchApp.class.getResourceAsStream("/icon.png");
        if (icon != null) {
            stage.getIcons().add(new Image(icon));
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
            prefs.save(vm, scene);
        });
        prefs.restore(vm);
        vm.error.addListener((o, a, b) -> {
            if (b != null && !b.isBlank()) {
                Alert alert = new Alert(Alert.AlertType.ERROR, b, ButtonType.OK);
                alert.setHeaderText(b.startsWith("Cannot open") ? "Model not loaded" : "Problem");
                alert.show();
            }
        });
        charts.start(scene);
        perf.watch(vm, stage, scene);
        Path initial = prefs.model() != null ? prefs.model() : vm.defaultModel();
        if (initial != null) {
            vm.loadModel(initial);
        }
        stage.show();
        ScreenshotHooks.install(vm, scene, charts, this::reveal);
    }

    /** Brings the tab titled {@code title} (a title of {@link WorkbenchViews#ALL}) to the front. */
    private void reveal(String title) {
        Tab t = tabs.get(title);
        if (t != null && t.getTabPane() != null) {
            t.getTabPane().getSelectionModel().select(t);
        }
    }

    /** The run's curves on top across both columns; the layer views and the side view below them. */
    private static GridPane chartGrid(Node curves, Node layerViews, Node side) {
        GridPane grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(6);
        grid.setPadding(new Insets(6));
        grid.add(curves, 0, 0, 2, 1);
        grid.add(layerViews, 0, 1);
        grid.add(side, 1, 1);
        for (int c = 0; c < 2; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(50);
            grid.getColumnConstraints().add(cc);
        }
        for (double share : new double[] {60, 40}) { // the layer views need the room
            RowConstraints rc = new RowConstraints();
            rc.setPercentHeight(share);
            grid.getRowConstraints().add(rc);
        }
        return grid;
    }

    /** An area's views one above the other (most areas hold one), the lower ones growing. */
    private static Node stack(List<WorkbenchView> views) {
        if (views == null) {
            return new VBox();
        }
        if (views.size() == 1) {
            return views.get(0).node();
        }
        VBox box = new VBox(4);
        for (WorkbenchView v : views) {
            VBox.setVgrow(v.node(), Priority.ALWAYS);
            box.getChildren().add(v.node());
        }
        return box;
    }

    private TabPane tabPane(List<WorkbenchView> views, Map<WorkbenchView, String> titles) {
        TabPane pane = new TabPane();
        pane.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        for (WorkbenchView v : views == null ? List.<WorkbenchView>of() : views) {
            Tab t = new Tab(titles.get(v), v.node());
            tabs.put(titles.get(v), t);
            pane.getTabs().add(t);
        }
        return pane;
    }

    /** Space starts or pauses, Esc stops; a dropped model folder, .onnx file or data folder is opened. */
    private void keysAndDrops(Scene scene) {
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
    }

    @Override
    public void stop() {
        built.forEach(WorkbenchView::close);
        if (charts != null) {
            charts.stop();
        }
        if (vm != null) {
            vm.close();
        }
    }
}
