package io.otprune.ui;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Control;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;

/** Small pieces the views share: tooltips, text columns, chart viewers, growing regions. */
final class ViewParts {
    private ViewParts() {}

    static void tip(Control c, String text) {
        c.setTooltip(new Tooltip(text));
    }

    static <T> TableColumn<T, String> col(String title, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(value.apply(cd.getValue())));
        return c;
    }

    /** A viewer for {@code chart} whose grid lines are drawn as filled rectangles ({@link AxisLineGraphics}). */
    static ChartViewer viewer(JFreeChart chart, String id) {
        ChartViewer v = new ChartViewer(chart);
        AxisLineGraphics.install(v);
        v.setId(id);
        v.setMinSize(200, 90);
        return v;
    }

    /** Whether {@code node} is shown: in a scene, it and every parent visible (its tab in front). */
    static boolean showing(javafx.scene.Node node) {
        if (node.getScene() == null) {
            return false;
        }
        for (javafx.scene.Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code shown} whenever {@code node} may have come on screen: it joined a scene, or it or a parent became
     * visible (a tab hides its content by hiding a parent). The caller checks {@link #showing} if it needs to.
     */
    static void whenShown(javafx.scene.Node node, Runnable shown) {
        javafx.beans.InvalidationListener visible = o -> {
            if (showing(node)) {
                shown.run();
            }
        };
        node.sceneProperty().addListener(o -> {
            for (javafx.scene.Node n = node; n != null; n = n.getParent()) {
                n.visibleProperty().removeListener(visible);
                n.visibleProperty().addListener(visible);
            }
            shown.run();
        });
    }

    static <N extends Region> N grow(N n) {
        VBox.setVgrow(n, Priority.ALWAYS);
        return n;
    }

    static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
