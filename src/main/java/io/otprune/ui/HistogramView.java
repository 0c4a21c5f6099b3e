package io.otprune.ui;

import io.otprune.train.RunEvent;
import java.util.Arrays;
import java.util.Locale;
import javafx.scene.Node;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;

/** The importance scores of the selected layer's units, kept and pruned stacked, with the threshold τ. */
final class HistogramView implements WorkbenchView {
    private final WorkbenchViewModel vm;
    private final DefaultTableXYDataset data = new DefaultTableXYDataset();
    private final JFreeChart chart = Charts.histogram(data);
    private final ChartViewer viewer;

    HistogramView(Context ctx) {
        vm = ctx.vm();
        ChartScheduler charts = ctx.charts();
        viewer = charts.viewer(chart, "histogramChart");
        charts.name(chart, "histogram");
        Runnable redraw = () -> {
            String layer = vm.selectedLayer.get();
            charts.update(chart, Arrays.asList(layer, layer == null ? null : vm.histogram(layer)), this::fill);
        };
        charts.onDataChanged(redraw);
        vm.selectedLayer.addListener((o, a, b) -> redraw.run());
    }

    private void fill() {
        String layer = vm.selectedLayer.get();
        RunEvent.Histogram h = layer == null ? null : vm.histogram(layer);
        data.removeAllSeries();
        chart.getXYPlot().clearDomainMarkers();
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
        data.addSeries(k);
        data.addSeries(p);
        chart.getXYPlot().addDomainMarker(Charts.marker(h.tau(), String.format(Locale.ROOT, "τ = %.3g", h.tau())));
    }

    @Override
    public Node node() {
        return viewer;
    }
}
