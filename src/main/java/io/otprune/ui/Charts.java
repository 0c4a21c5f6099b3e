package io.otprune.ui;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** JFreeChart charts of the workbench and the small helpers that refill them from plain series. */
final class Charts {
    static final Color KEPT = new Color(0x2e7d32);
    static final Color PRUNED = new Color(0xc62828);
    static final Color ACCENT = new Color(0x1565c0);

    private Charts() {}

    static JFreeChart line(String title, String x, String y, XYSeriesCollection data) {
        JFreeChart c = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, true, false);
        // small points too, so a series of one point (one epoch so far) is visible
        org.jfree.chart.renderer.xy.XYLineAndShapeRenderer r = new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, true);
        // one path per series, not one stroke per pair of points: JavaFX's renderer rasterises each stroke apart
        r.setDrawSeriesLineAsPath(true);
        for (int i = 0; i < 4; i++) {
            r.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        c.getXYPlot().setRenderer(r);
        style(c);
        return c;
    }

    /** Accuracy against achieved sparsity, one series per compared kind of run. */
    static JFreeChart comparison(XYSeriesCollection data) {
        JFreeChart c = ChartFactory.createXYLineChart("Accuracy vs sparsity (chosen runs)", "achieved sparsity",
                "test accuracy", data, PlotOrientation.VERTICAL, true, true, false);
        c.getXYPlot().setRenderer(new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, true));
        ((NumberAxis) c.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) c.getXYPlot().getDomainAxis()).setAutoRangeIncludesZero(false);
        style(c);
        return c;
    }

    static JFreeChart logLine(String title, String x, String y, XYSeriesCollection data) {
        JFreeChart c = line(title, x, y, data);
        LogAxis axis = new LogAxis(y);
        axis.setSmallestValue(1e-6);
        c.getXYPlot().setRangeAxis(axis);
        return c;
    }

    static JFreeChart histogram(DefaultTableXYDataset data) {
        JFreeChart c = ChartFactory.createXYBarChart("Importance scores", "score", false, "units", data,
                PlotOrientation.VERTICAL, true, true, false);
        XYPlot plot = c.getXYPlot();
        StackedXYBarRenderer r = new StackedXYBarRenderer(0.05);
        r.setShadowVisible(false);
        r.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        r.setSeriesPaint(0, KEPT);
        r.setSeriesPaint(1, PRUNED);
        plot.setRenderer(r);
        style(c);
        return c;
    }

    static JFreeChart bars(String title, String valueAxis, DefaultCategoryDataset data) {
        JFreeChart c = ChartFactory.createBarChart(title, "layer", valueAxis, data, PlotOrientation.VERTICAL,
                true, true, false);
        CategoryPlot plot = c.getCategoryPlot();
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.0);
        CategoryAxis x = plot.getDomainAxis();
        x.setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
        plot.getRenderer().setSeriesPaint(0, ACCENT);
        plot.getRenderer().setSeriesPaint(1, KEPT);
        ((org.jfree.chart.renderer.category.BarRenderer) plot.getRenderer()).setBarPainter(
                new org.jfree.chart.renderer.category.StandardBarPainter());
        style(c);
        return c;
    }

    /**
     * Kept fraction per unit set as horizontal bars, one row per set in the network's order: the names stay
     * readable, and a hundred sets make a taller chart to scroll rather than unreadable slivers.
     */
    static JFreeChart layerBars(String title, org.jfree.data.category.CategoryDataset data) {
        JFreeChart c = ChartFactory.createBarChart(title, "layer", "kept fraction", data, PlotOrientation.HORIZONTAL,
                true, true, false);
        CategoryPlot plot = c.getCategoryPlot();
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.0);
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.4f);
        plot.getDomainAxis().setCategoryMargin(0.1);
        plot.getRenderer().setSeriesPaint(0, ACCENT);
        plot.getRenderer().setSeriesPaint(1, KEPT);
        ((org.jfree.chart.renderer.category.BarRenderer) plot.getRenderer()).setBarPainter(
                new org.jfree.chart.renderer.category.StandardBarPainter());
        style(c);
        return c;
    }

    /**
     * Solid grid lines rather than JFreeChart's dashed ones: a solid one is drawn as one filled rectangle
     * ({@link AxisLineGraphics}), a dashed one as a stroke the software renderer rasterises row by row.
     */
    private static final BasicStroke GRID = new BasicStroke(0.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_BEVEL);
    private static final Color GRID_COLOUR = new Color(0xdddddd);

    static void style(JFreeChart c) {
        c.setBackgroundPaint(Color.WHITE);
        c.getTitle().setFont(c.getTitle().getFont().deriveFont(13f));
        if (c.getPlot() instanceof XYPlot p) {
            p.setBackgroundPaint(new Color(0xfafafa));
            p.setDomainGridlinePaint(GRID_COLOUR);
            p.setRangeGridlinePaint(GRID_COLOUR);
            p.setDomainGridlineStroke(GRID);
            p.setRangeGridlineStroke(GRID);
            if (p.getRenderer() != null && !(p.getRenderer() instanceof XYBarRenderer)) {
                for (int i = 0; i < 4; i++) {
                    p.getRenderer().setSeriesStroke(i, new BasicStroke(1.6f));
                }
            }
        } else if (c.getPlot() instanceof CategoryPlot p) {
            p.setBackgroundPaint(new Color(0xfafafa));
            p.setDomainGridlineStroke(GRID);
            p.setRangeGridlineStroke(GRID);
        }
    }

    /**
     * Point markers only while a chart's series are short: they make a one-point series visible, but drawing a
     * shape for each of hundreds of points is most of a line chart's rendering time.
     */
    static void shapesOnlyWhenFew(JFreeChart c) {
        if (c.getPlot() instanceof XYPlot p && p.getRenderer() instanceof org.jfree.chart.renderer.xy.XYLineAndShapeRenderer r) {
            int most = 0;
            for (int i = 0; i < p.getDataset().getSeriesCount(); i++) {
                most = Math.max(most, p.getDataset().getItemCount(i));
            }
            boolean show = most <= 40;
            if (r.getDefaultShapesVisible() != show) {
                r.setDefaultShapesVisible(show);
            }
        }
    }

    /** Replaces a series' points, with one change notification. */
    static void fill(XYSeries s, List<WorkbenchViewModel.Point> points) {
        s.setNotify(false);
        s.clear();
        for (WorkbenchViewModel.Point p : points) {
            if (Double.isFinite(p.y())) {
                s.add(p.x(), p.y(), false);
            }
        }
        s.setNotify(true);
        s.fireSeriesChanged();
    }

    static ValueMarker marker(double at, String label) {
        ValueMarker m = new ValueMarker(at, Color.BLACK, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {5f, 4f}, 0f));
        m.setLabel(label);
        return m;
    }
}
