package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The window's charts draw their grid lines as filled rectangles (headless, Monocle: Prism's software pipeline, as
 * under Xvfb) and look as the library's own drawing does.
 */
@ExtendWith(ApplicationExtension.class)
class AxisLineGraphicsTest {
    ChartViewer library;
    ChartViewer ours;
    AxisLineGraphics graphics;

    static JFreeChart chart() {
        XYSeries s = new XYSeries("train loss");
        for (int i = 0; i < 200; i++) {
            s.add(i / 40.0, 2.0 * Math.exp(-i / 60.0) + 0.1 * Math.sin(i * 0.7));
        }
        return Charts.line("Loss", "epoch", "loss", new XYSeriesCollection(s));
    }

    @Start
    void start(Stage stage) {
        library = new ChartViewer(chart());
        ours = ViewParts.viewer(chart(), "ours");
        graphics = AxisLineGraphics.install(ours); // a second install: the handle for the test, same drawing
        for (ChartViewer v : new ChartViewer[] {library, ours}) {
            v.setPrefSize(600, 300);
            v.setMinSize(600, 300);
            v.setMaxSize(600, 300);
        }
        stage.setScene(new Scene(new HBox(library, ours), 1200, 300));
        stage.show();
    }

    @Test
    void gridLinesAreFilledAndThePictureIsTheLibrarys(FxRobot robot) {
        assertThat(graphics).as("the viewer's canvas takes the graphics (org.jfree.chart.fx internals)").isNotNull();
        robot.interact(() -> ours.getChart().fireChartChanged()); // drawn again, now with the handle installed
        assertThat(graphics.linesFilled()).as("grid lines filled as rectangles").isGreaterThan(10);

        WritableImage[] shots = new WritableImage[2];
        robot.interact(() -> {
            shots[0] = library.snapshot(null, null);
            shots[1] = ours.snapshot(null, null);
        });
        int w = (int) shots[0].getWidth();
        int h = (int) shots[0].getHeight();
        assertThat((int) shots[1].getWidth()).isEqualTo(w);
        PixelReader a = shots[0].getPixelReader();
        PixelReader b = shots[1].getPixelReader();
        int differ = 0;
        int grid = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = a.getArgb(x, y);
                int q = b.getArgb(x, y);
                int d = 0;
                for (int shift = 0; shift < 24; shift += 8) {
                    d = Math.max(d, Math.abs(((p >> shift) & 255) - ((q >> shift) & 255)));
                }
                if (d > 24) {
                    differ++;
                }
                if ((p & 0xffffff) != 0xfafafa && (p & 0xffffff) != 0xffffff) {
                    grid++;
                }
            }
        }
        assertThat(grid).as("the chart is drawn at all").isGreaterThan(w * h / 50);
        // measured: 167 of 180,000 pixels differ at all, by at most 18 of 255 (the ends of butt-capped lines)
        assertThat(differ).as("pixels differing by more than 24 of 255").isLessThanOrEqualTo(w * h / 1000);
    }
}
