package io.otprune.ui;

import static io.otprune.ui.ViewParts.viewer;

import io.otprune.train.RunEvent;
import java.util.Arrays;
import javafx.scene.Node;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.category.DefaultCategoryDataset;

/** The kept fraction of every unit set: the preview's (from the magnitudes) and, during a run, the run's hard mask. */
final class KeptPerLayerView implements WorkbenchView {
    private final WorkbenchViewModel vm;
    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final JFreeChart chart = Charts.bars("Kept per layer", data);
    private final ChartViewer viewer = viewer(chart, "layerChart");

    KeptPerLayerView(Context ctx) {
        vm = ctx.vm();
        ChartScheduler charts = ctx.charts();
        Runnable redraw = () -> charts.update(chart, Arrays.asList(vm.preview.get(), vm.lastPrune()), this::fill);
        charts.onDataChanged(redraw);
        vm.preview.addListener((o, a, b) -> redraw.run());
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
    }

    @Override
    public Node node() {
        return viewer;
    }
}
