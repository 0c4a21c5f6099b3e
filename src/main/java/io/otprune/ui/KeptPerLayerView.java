package io.otprune.ui;

import io.otprune.train.RunEvent;
import java.util.Arrays;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ScrollBar;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.category.SlidingCategoryDataset;
import org.jfree.data.general.DatasetChangeEvent;

/**
 * The kept fraction of every unit set: the preview's (from the magnitudes) and, during a run, the run's hard mask.
 * One horizontal bar row per set, as many rows as fit at {@link #ROW_PX} each; with more sets (a hundred in a
 * resnet110) the scroll bar beside the chart (or the mouse wheel over it) moves the window of sets shown. The chart
 * itself stays the size of its pane, and it redraws with every prune event of a run: as one tall chart in a scroll
 * pane (2,106 px for 112 sets) a draw took a median 110 ms of the FX thread here, against 11 ms for lenet5's four
 * sets; windowed, the 112-set chart drew in 4-27 ms against lenet5's 5-12 ms in the same alternated rounds (a loaded
 * 2-core machine, so these are orders of magnitude, not figures).
 */
final class KeptPerLayerView implements WorkbenchView {
    /** Height of one set's row (its two bars and its name). */
    static final double ROW_PX = 18;
    /** Height of the title, the legend and the value axis. */
    private static final double FRAME_PX = 90;
    private final WorkbenchViewModel vm;
    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final SlidingCategoryDataset window = new SlidingCategoryDataset(data, 0, 20);
    private final JFreeChart chart = Charts.layerBars("Kept per layer", window);
    private final ChartViewer viewer;
    private final ScrollBar bar = new ScrollBar();
    private final BorderPane pane = new BorderPane();

    KeptPerLayerView(Context ctx) {
        vm = ctx.vm();
        ChartScheduler charts = ctx.charts();
        viewer = charts.viewer(chart, "layerChart");
        pane.setCenter(viewer);
        Runnable redraw = () -> charts.update(chart, Arrays.asList(vm.preview.get(), vm.lastPrune()), this::fill);
        charts.onDataChanged(redraw);
        vm.preview.addListener((o, a, b) -> redraw.run());
        bar.setId("layerChartScroll");
        bar.setOrientation(Orientation.VERTICAL);
        bar.setUnitIncrement(1);
        bar.valueProperty().addListener((o, a, v) -> showFromBar());
        viewer.heightProperty().addListener((o, a, h) -> {
            window.setMaximumCategoryCount(Math.max(1, (int) ((h.doubleValue() - FRAME_PX) / ROW_PX)));
            fitBar();
        });
        // the wheel moves the window of sets (instead of zooming) when there are more than fit
        viewer.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (bar.isVisible() && e.getDeltaY() != 0) {
                bar.setValue(Math.max(0, Math.min(bar.getMax(), bar.getValue() - Math.signum(e.getDeltaY()) * 3)));
                e.consume();
            }
        });
        pane.setRight(bar);
        fitBar();
    }

    /** The bar's range: the first set shown runs from 0 to (sets − rows shown); hidden when every set fits. */
    private void fitBar() {
        int shown = window.getMaximumCategoryCount();
        int hidden = Math.max(0, data.getColumnCount() - shown);
        bar.setMax(hidden);
        bar.setVisibleAmount(shown);
        bar.setBlockIncrement(shown);
        bar.setValue(Math.min(bar.getValue(), hidden));
        bar.setVisible(hidden > 0);
        bar.setManaged(hidden > 0);
        showFromBar();
    }

    /** Shows the sets from the bar's value on (the window may point past the end after a smaller model). */
    private void showFromBar() {
        int first = (int) Math.round(bar.getValue());
        if (first != window.getFirstCategoryIndex() && first < data.getColumnCount()) {
            window.setFirstCategoryIndex(first);
        }
    }

    private void fill() {
        data.clear();
        ModelPreview.Outcome o = vm.preview.get();
        if (o != null && o.error() == null) {
            for (int i = 0; i < o.layers().size(); i++) {
                data.addValue(o.keptFraction().get(i), "preview (magnitudes)", o.layers().get(i));
            }
        }
        RunEvent.Prune p = vm.lastPrune();
        if (p != null) {
            for (int i = 0; i < p.sets().size(); i++) {
                data.addValue(p.setKeptHard().get(i), "run (mask > 0.5)", p.sets().get(i));
            }
        }
        fitBar();
        // the window does not listen to the data under it: the plot is told (and drawn when the scheduler says)
        chart.getCategoryPlot().datasetChanged(new DatasetChangeEvent(window, window));
    }

    @Override
    public Node node() {
        return pane;
    }
}
