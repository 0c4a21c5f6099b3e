package io.otprune.ui;

import javafx.scene.Node;
import javafx.stage.Window;

/**
 * One view of the workbench window (a pane): built from a {@link Context} and placed by {@link WorkbenchViews}.
 * A view reads and sets state only through the view-model (and {@link WorkbenchViewModel#selectedLayer} for the
 * layer the layer views show); it never reaches into another view.
 */
interface WorkbenchView {
    /** The pane the window places. */
    Node node();

    /** Stops what the view runs on its own (a background scan, listeners on the view-model) when the window closes. */
    default void close() {}

    /**
     * What every view is built from: the state, the shared chart scheduler, and the window's own services.
     *
     * @param vm all state (models, settings, run series, history, the selected layer)
     * @param charts draws a view's JFreeChart charts within the pulse budget, only when their data changed
     * @param window the window, as owner of the dialogs a view opens (file choosers)
     * @param reveal brings a tab to the front by its title in {@link WorkbenchViews} (e.g. "Result" when a run ends)
     */
    record Context(WorkbenchViewModel vm, ChartScheduler charts, java.util.function.Supplier<Window> window,
            java.util.function.Consumer<String> reveal) {}
}
