package io.otprune.ui;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Measures what one redraw of a window's line chart costs JavaFX's render thread with Prism's software pipeline
 * (headless, as the tests run): a 1000×400 loss chart of 2,000 points, drawn 3 × 40 times, (a) as the library draws
 * it with JFreeChart's dashed grid lines and (b) as the window draws it (solid grid lines filled by
 * {@link AxisLineGraphics}). Prints the render thread's and the FX thread's CPU per redraw for each round. Run from the
 * repository root: {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.otprune.ui.ChartRasterTiming}.
 */
public final class ChartRasterTiming {
    private ChartRasterTiming() {}

    public static void main(String[] args) throws Exception {
        for (String[] p : new String[][] {{"prism.order", "sw"}, {"glass.platform", "Monocle"},
                {"monocle.platform", "Headless"}, {"java.awt.headless", "true"}}) {
            System.setProperty(p[0], System.getProperty(p[0], p[1]));
        }
        Platform.startup(() -> {});
        Platform.setImplicitExit(false); // each variant closes its stage before the next opens
        for (boolean window : new boolean[] {false, true, false, true}) {
            JFreeChart chart = lossChart();
            if (!window) {
                XYPlot plot = chart.getXYPlot();
                plot.setDomainGridlineStroke(XYPlot.DEFAULT_GRIDLINE_STROKE);
                plot.setRangeGridlineStroke(XYPlot.DEFAULT_GRIDLINE_STROKE);
            }
            Stage stage = onFx(() -> {
                ChartViewer v = window ? ViewParts.viewer(chart, "chart") : new ChartViewer(chart);
                Stage s = new Stage();
                s.setScene(new Scene(new StackPane(v), 1000, 400));
                s.show();
                return s;
            });
            Thread.sleep(1000);
            for (int round = 0; round < 3; round++) {
                double[] perRedraw = redraws(chart, 40);
                System.out.printf(Locale.ROOT, "%s, round %d: render thread %.2f ms, FX thread %.2f ms a redraw%n",
                        window ? "window (solid grid, AxisLineGraphics)" : "library (dashed grid, FXGraphics2D)", round,
                        perRedraw[0], perRedraw[1]);
            }
            onFx(() -> {
                stage.close();
                return null;
            });
        }
        Platform.exit();
    }

    private static JFreeChart lossChart() {
        XYSeries loss = new XYSeries("train loss");
        for (int i = 0; i < 2000; i++) {
            loss.add(i / 400.0, 2.0 * Math.exp(-i / 500.0) + 0.1 * Math.sin(i * 0.7), false);
        }
        JFreeChart chart = Charts.line("Loss", "epoch", "loss", new XYSeriesCollection(loss));
        Charts.shapesOnlyWhenFew(chart);
        return chart;
    }

    /** CPU per redraw of the render thread and the FX thread, in ms, over {@code n} redraws 120 ms apart. */
    private static double[] redraws(JFreeChart chart, int n) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long renderer = thread(mx, "QuantumRenderer");
        long fx = thread(mx, "JavaFX Application");
        long r0 = mx.getThreadCpuTime(renderer);
        long f0 = mx.getThreadCpuTime(fx);
        for (int i = 0; i < n; i++) {
            int k = i;
            onFx(() -> {
                chart.setTitle("Loss " + (k % 2)); // one change event: one redraw
                return null;
            });
            Thread.sleep(120); // the pulse and the render thread's frame finish well within this
        }
        return new double[] {(mx.getThreadCpuTime(renderer) - r0) / 1e6 / n, (mx.getThreadCpuTime(fx) - f0) / 1e6 / n};
    }

    private static long thread(ThreadMXBean mx, String prefix) {
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(prefix)) {
                return t.getThreadId();
            }
        }
        throw new IllegalStateException("no thread " + prefix);
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(work.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get();
    }
}
