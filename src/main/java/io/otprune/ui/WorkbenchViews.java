package io.otprune.ui;

import java.util.List;
import java.util.function.Function;

/**
 * Where each view of the workbench window goes: the one list to edit to add, move or remove a view.
 *
 * <p>The contract of a view: a class in {@code io.otprune.ui} that implements {@link WorkbenchView}, built by a
 * constructor that takes a {@link WorkbenchView.Context} (the view-model, the {@link ChartScheduler}, the window's
 * services), and that returns its pane from {@link WorkbenchView#node()}. It builds its own controls and charts,
 * reads the state from the view-model and changes it there, never in another view. Its charts are refilled through
 * {@link ChartScheduler#update} with a token of what they show (registered by {@link ChartScheduler#onDataChanged}),
 * so they redraw only when their data changed and within the pulse budget. The layer the layer views show is
 * {@link WorkbenchViewModel#selectedLayer}: a view that shows one layer follows it, a view that lets a person point at
 * a layer sets it ({@link WorkbenchViewModel#selectLayer} maps a layer to its unit set). Node ids are the tests' handles:
 * give every control a person uses one.
 *
 * <p>Adding a view is one new class and one line in {@link #ALL}: its area, its tab title (tab areas), its
 * constructor. Views are built in the list's order and shown in that order in their area.
 */
final class WorkbenchViews {
    /** A part of the window. */
    enum Area {
        /** The bar above everything (model and data). */
        TOP,
        /** The column on the left (run settings and controls). */
        LEFT,
        /** The upper centre (the run's curves). */
        CHARTS,
        /** Above the layer views (what selects the layer). */
        LAYER_BAR,
        /** Tabs of views of the selected layer, below the curves on the left. */
        LAYER_TABS,
        /** Beside the layer views, below the curves on the right. */
        LAYER_SIDE,
        /** Tabs below the charts (model, result, history, data). */
        BOTTOM_TABS;

        boolean tabs() {
            return this == LAYER_TABS || this == BOTTOM_TABS;
        }
    }

    /** One view in one area; {@code title} names its tab in a tab area (and {@link WorkbenchView.Context#reveal}). */
    record Placement(Area area, String title, Function<WorkbenchView.Context, WorkbenchView> view) {}

    static final String MASK = "Mask";
    static final String GRAPH = "Graph";
    static final String SENSITIVITY = "Sensitivity";
    static final String COMPARE = "Compare runs";
    static final String RESULT = "Result";
    static final String HISTORY = "History";
    static final String DATA = "Data";
    static final String CONFUSION = "Confusion";

    /** Every view of the window, in the order of their areas. */
    static final List<Placement> ALL = List.of(
            new Placement(Area.TOP, "Model and data", ModelDataBar::new),
            new Placement(Area.LEFT, "Controls", ControlsView::new),
            new Placement(Area.CHARTS, "Curves", TrainingChartsView::new),
            new Placement(Area.LAYER_BAR, "Layer", LayerPicker::new),
            new Placement(Area.LAYER_TABS, "Histogram", HistogramView::new),
            new Placement(Area.LAYER_TABS, MASK, LayerMaskView::new),
            new Placement(Area.LAYER_TABS, "Entropy", EntropyView::new),
            new Placement(Area.LAYER_SIDE, "Kept per layer", KeptPerLayerView::new),
            new Placement(Area.BOTTOM_TABS, "Layers", LayersView::new),
            new Placement(Area.BOTTOM_TABS, GRAPH, ctx -> new GraphView(ctx.vm())),
            new Placement(Area.BOTTOM_TABS, "Channel groups", ChannelGroupsView::new),
            new Placement(Area.BOTTOM_TABS, RESULT, ResultView::new),
            new Placement(Area.BOTTOM_TABS, HISTORY, HistoryView::new),
            new Placement(Area.BOTTOM_TABS, SENSITIVITY, ctx -> new SensitivityPane(ctx.vm())),
            new Placement(Area.BOTTOM_TABS, COMPARE, ctx -> new MaskComparisonPane(ctx.vm())),
            new Placement(Area.BOTTOM_TABS, DATA, DataView::new),
            new Placement(Area.BOTTOM_TABS, CONFUSION, ConfusionView::new));

    private WorkbenchViews() {}
}
