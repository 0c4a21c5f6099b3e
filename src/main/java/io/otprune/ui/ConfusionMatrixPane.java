package io.otprune.ui;

import io.otprune.run.PruneSummary;
import io.otprune.train.ConfusionMatrix;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The Confusion tab: the dense and the pruned model's confusion matrices on the test set side by side, as heatmaps
 * (rows: true class, columns: predicted; a cell's colour is its share of the row, so the diagonal is each class's
 * recall), and below them each class's recall before and after, the classes pruning hurt most first.
 */
public final class ConfusionMatrixPane extends ScrollPane {
    /** Above this many classes the cells carry their counts in a tooltip only (they are too small to read). */
    static final int MAX_LABELLED_CLASSES = 20;

    private final Label placeholder = new Label("The dense and pruned models' confusion matrices appear here when a "
            + "run ends.");
    private final VBox content = new VBox();

    public ConfusionMatrixPane() {
        setId("confusion");
        content.setPadding(new Insets(6));
        content.getChildren().setAll(placeholder);
        setContent(content);
        setFitToWidth(true); // the recall line wraps at the pane's width
    }

    /** Shows a run's matrices; null (a run without them, or none yet) shows the placeholder. */
    public void show(PruneSummary.Confusion c) {
        if (c == null) {
            content.getChildren().setAll(placeholder);
            return;
        }
        HBox matrices = new HBox(16, matrix("denseConfusion", "Dense", c.dense(), c.classes()),
                matrix("prunedConfusion", "Pruned", c.pruned(), c.classes()));
        content.getChildren().setAll(new VBox(8, matrices, changes(c)));
    }

    private static VBox matrix(String id, String title, ConfusionMatrix m, List<String> classes) {
        GridPane g = new GridPane();
        g.setHgap(1);
        g.setVgap(1);
        boolean labelled = m.classes() <= MAX_LABELLED_CLASSES;
        double cell = labelled ? 34 : Math.max(4, 340.0 / m.classes());
        for (int p = 0; p < m.classes(); p++) {
            Label h = new Label(Integer.toString(p));
            h.setTooltip(new Tooltip("predicted " + classes.get(p)));
            h.setMinWidth(cell);
            h.setAlignment(Pos.CENTER);
            if (labelled) {
                g.add(h, p + 1, 0);
            }
        }
        for (int t = 0; t < m.classes(); t++) {
            Label row = new Label(t + " " + classes.get(t));
            row.getStyleClass().add("confusion-class");
            g.add(row, 0, t + 1);
            long support = m.support(t);
            for (int p = 0; p < m.classes(); p++) {
                int n = m.count(t, p);
                double share = support == 0 ? 0 : (double) n / support;
                Label v = new Label(labelled ? Integer.toString(n) : "");
                v.getStyleClass().add("confusion-cell");
                v.setUserData(new int[] {t, p, n});
                v.setMinSize(cell, labelled ? 20 : cell);
                v.setPrefSize(cell, labelled ? 20 : cell);
                v.setAlignment(Pos.CENTER);
                v.setStyle(String.format(Locale.ROOT, "-fx-background-color: %s; -fx-text-fill: %s; -fx-font-size: 10px;",
                        colour(share), share > 0.5 ? "white" : "#222"));
                v.setTooltip(new Tooltip(String.format(Locale.ROOT, "%s predicted as %s: %,d (%.1f%% of the class)",
                        classes.get(t), classes.get(p), n, 100 * share)));
                g.add(v, p + 1, t + 1);
            }
        }
        Label caption = new Label(String.format(Locale.ROOT, "%s: %.2f%% (%,d of %,d correct) · rows true, columns "
                + "predicted", title, 100 * m.accuracy(), m.correct(), m.total()));
        caption.setId(id + "Caption");
        VBox box = new VBox(4, caption, g);
        box.setId(id);
        return box;
    }

    /** White to dark blue by a cell's share of its row. */
    static String colour(double share) {
        double s = Math.sqrt(Math.max(0, Math.min(1, share))); // small confusions stay visible
        int r = (int) Math.round(255 - s * (255 - 8));
        int g = (int) Math.round(255 - s * (255 - 48));
        int b = (int) Math.round(255 - s * (255 - 107));
        return String.format(Locale.ROOT, "rgb(%d,%d,%d)", r, g, b);
    }

    private static Label changes(PruneSummary.Confusion c) {
        StringBuilder b = new StringBuilder("Recall per class, dense → pruned, most hurt first: ");
        List<ConfusionMatrix.RecallChange> changes = c.dense().recallChanges(c.pruned());
        for (int i = 0; i < changes.size(); i++) {
            ConfusionMatrix.RecallChange r = changes.get(i);
            b.append(i == 0 ? "" : " · ").append(String.format(Locale.ROOT, "%s %.1f%% → %.1f%% (%+.1f)",
                    shorten(c.classes().get(r.classIndex())), 100 * r.before(), 100 * r.after(), r.points()));
        }
        Label l = new Label(b.toString());
        l.setId("confusionChanges");
        l.setWrapText(true);
        return l;
    }

    private static String shorten(String name) {
        return name.length() <= 16 ? name : name.substring(0, 15) + "…";
    }
}
