package io.otprune.ui;

import java.awt.BasicStroke;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import org.jfree.chart.fx.ChartCanvas;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.fx.FXGraphics2D;
import org.jfree.fx.FXHints;

/**
 * The Graphics2D a chart viewer draws its chart with: as JFreeChart-FX's own, except that a solid horizontal or
 * vertical line that the library snaps to pixels (grid lines) is filled as a rectangle of whole pixels instead of
 * stroked.
 *
 * <p>Why: with Prism's software pipeline (Xvfb, machines without a usable GPU) a stroked line goes through the
 * Marlin rasteriser, which hands its coverage to native code one pixel row at a time; a vertical grid line across a
 * 400-pixel plot is 400 such calls. For one 1000×400 line chart the render thread spent 11.4 ms a redraw under
 * Xvfb, 6.5 with this and solid grid lines (headless: 15-16 and 11, ChartRasterTiming; docs/benchmarks.md §11), and
 * that time is what the window's next pulse waits for. A filled axis-aligned rectangle is one native fill. The pixels are where the library puts them (it
 * snaps a line's centre to a pixel's centre): the same chart drawn both ways differs in under 0.1% of its pixels, by
 * at most 18 of 255 (the half-covered ends of butt-capped lines).
 */
final class AxisLineGraphics extends FXGraphics2D {
    private static final System.Logger LOG = System.getLogger(AxisLineGraphics.class.getName());
    private static volatile boolean warned;

    private final GraphicsContext gc;
    private long linesFilled;

    AxisLineGraphics(GraphicsContext gc) {
        super(gc);
        this.gc = gc;
        // the settings ChartCanvas gives its own FXGraphics2D (org.jfree.chart.fx 2.0.2)
        setRenderingHint(FXHints.KEY_USE_FX_FONT_METRICS, true);
        setZeroStrokeWidth(0.1);
        setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    }

    /**
     * Makes {@code viewer}'s canvas draw with an AxisLineGraphics and returns it. ChartCanvas keeps its Graphics2D in
     * a private field and offers no way to supply one, hence reflection; should a later version of the library rename
     * it, the viewer keeps the library's own Graphics2D (same pictures, slower with software rendering), a warning is
     * logged once and null is returned. AxisLineGraphicsTest fails on such a version.
     */
    static AxisLineGraphics install(ChartViewer viewer) {
        try {
            java.lang.reflect.Field canvasField = ChartViewer.class.getDeclaredField("canvas");
            canvasField.setAccessible(true);
            ChartCanvas canvas = (ChartCanvas) canvasField.get(viewer);
            java.lang.reflect.Field g2Field = ChartCanvas.class.getDeclaredField("g2");
            g2Field.setAccessible(true);
            AxisLineGraphics g2 = new AxisLineGraphics(((Canvas) canvas).getGraphicsContext2D());
            g2Field.set(canvas, g2);
            return g2;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.log(System.Logger.Level.WARNING, "charts keep JFreeChart-FX's own Graphics2D: " + e);
            }
            return null;
        }
    }

    /** How many lines this graphics filled as rectangles (tests check that the fast path is taken). */
    long linesFilled() {
        return linesFilled;
    }

    @Override
    public void draw(Shape s) {
        // only lines the library itself snaps to pixels ("pure" lines, e.g. axis lines, keep their exact place)
        if (!(s instanceof Line2D l) || !(getStroke() instanceof BasicStroke stroke) || stroke.getDashArray() != null
                || (l.getX1() != l.getX2() && l.getY1() != l.getY2())
                || getRenderingHint(RenderingHints.KEY_STROKE_CONTROL) == RenderingHints.VALUE_STROKE_PURE) {
            super.draw(s);
            return;
        }
        AffineTransform t = getTransform();
        if ((t.getType() & ~AffineTransform.TYPE_TRANSLATION) != 0) {
            super.draw(s);
            return;
        }
        double width = stroke.getLineWidth() == 0 ? 0.1 : stroke.getLineWidth();
        int pixels = (int) Math.max(1, Math.round(width));
        boolean butt = stroke.getEndCap() == BasicStroke.CAP_BUTT;
        double x1 = l.getX1() + t.getTranslateX();
        double y1 = l.getY1() + t.getTranslateY();
        double x2 = l.getX2() + t.getTranslateX();
        double y2 = l.getY2() + t.getTranslateY();
        double alpha = gc.getGlobalAlpha();
        gc.save();
        gc.setTransform(1, 0, 0, 1, 0, 0);
        // a line thinner than a pixel covers its pixel row or column partly: as the rasteriser does, by alpha
        gc.setGlobalAlpha(alpha * Math.min(1, width));
        if (x1 == x2) {
            double[] along = span(y1, y2, butt);
            gc.fillRect(across(x1, pixels), along[0], pixels, along[1]);
        } else {
            double[] along = span(x1, x2, butt);
            gc.fillRect(along[0], across(y1, pixels), along[1], pixels);
        }
        gc.restore();
        linesFilled++;
    }

    /**
     * The first pixel a line of {@code pixels} width covers across its direction: FXGraphics2D (unless told to
     * stroke "pure") moves a line's centre to {@code rint(c) - 0.5}, the middle of the pixel left of (or above) c.
     */
    private static double across(double c, int pixels) {
        return Math.floor(Math.rint(c) - pixels / 2.0);
    }

    /** Start and length along the line, on the same snapped coordinates; a square cap reaches one pixel further. */
    private static double[] span(double a, double b, boolean butt) {
        double from = Math.rint(Math.min(a, b));
        double to = Math.rint(Math.max(a, b));
        return butt ? new double[] {from, Math.max(1, to - from)} : new double[] {from - 1, to - from + 1};
    }
}
