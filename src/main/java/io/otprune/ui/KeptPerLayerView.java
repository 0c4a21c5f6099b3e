package io.otprune.ui;

import static io.otprune.ui.ViewParts.viewer;

import io.otprune.train.RunEvent;
import java.util.Arrays;
import javafx.beans.binding.Bindings;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.scene.Node;
import javafx.scene.control.ScrollPane;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The kept fraction of every unit set: the preview's (from the magnitudes) and, during a run, the run's hard mask.
 * One horizontal bar row per set in a scroll pane: the chart grows by {@link #ROW_PX} a set beyond what the pane
 * shows, so a network of a hundred sets scrolls with readable names instead of squeezing them.
 */
final class KeptPerLayerView implements WorkbenchView {
    /** Height of one set's row (its two bars and its name). */
    static final double ROW_PX = 18;
    /** Height of the title, the legend and the value axis. */
    private static final double FRAME_PX = 90;
    private final WorkbenchViewModel vm;
    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final JFreeChart chart = Charts.layerBars("Kept per layer", data);
    private final ChartViewer viewer = viewer(chart, "layerChart");
    private final IntegerProperty sets = new SimpleIntegerProperty();
    private final ScrollPane scroll = new ScrollPane(viewer);

    KeptPerLayerView(Context ctx) {
        vm = ctx.vm();
        ChartScheduler charts = ctx.charts();
        Runnable redraw = () -> charts.update(chart, Arrays.asList(vm.preview.get(), vm.lastPrune()), this::fill);
        charts.onDataChanged(redraw);
        vm.preview.addListener((o, a, b) -> redraw.run());
        scroll.setId("layerChartScroll");
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        viewer.minHeightProperty().bind(Bindings.createDoubleBinding(() -> Math.max(
                scroll.getViewportBounds().getHeight(), FRAME_PX + ROW_PX * sets.get()),
                scroll.viewportBoundsProperty(), sets));
        viewer.prefHeightProperty().bind(viewer.minHeightProperty());
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
        sets.set(data.getColumnCount());
    }

    @Override
    public Node node() {
        return scroll;
    }
}
