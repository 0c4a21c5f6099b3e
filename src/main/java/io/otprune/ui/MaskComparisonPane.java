package io.otprune.ui;

import io.otprune.model.Graph;
import io.otprune.model.ModelStore;
import io.otprune.run.MaskComparison;
import io.otprune.run.RunHistory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * Two finished runs of the same model from History, mask against mask ({@link MaskComparison}): a table per layer
 * (Jaccard, kept by both, only A, only B, channels that differ) and the chosen layer's masks laid out as the mask
 * view lays out one ({@link MaskRaster}), each unit coloured as kept by both, only A, only B or neither.
 */
public final class MaskComparisonPane extends BorderPane implements WorkbenchView {
    static final int BOTH = MaskRaster.argb(1f);
    static final int ONLY_A = 0xFF1565C0;
    static final int ONLY_B = 0xFFE65100;
    static final int NEITHER = MaskRaster.argb(0f);

    private final ComboBox<RunHistory.Entry> runA = new ComboBox<>();
    private final ComboBox<RunHistory.Entry> runB = new ComboBox<>();
    private final Button compare = new Button("Compare");
    private final Label message = new Label("Pick two finished runs of the same model.");
    private final TableView<MaskComparison.Layer> table = new TableView<>();
    private final ImageView image = new ImageView();
    private final Label caption = new Label(" ");
    private final SimpleObjectProperty<MaskComparison> comparison = new SimpleObjectProperty<>();
    private int imageHeight;
    private int imageWidth;

    public MaskComparisonPane(WorkbenchViewModel vm) {
        setId("maskComparisonPane");
        runA.setId("compareRunA");
        runB.setId("compareRunB");
        compare.setId("compareButton");
        message.setId("compareMessage");
        table.setId("compareTable");
        image.setId("compareImage");
        caption.setId("compareCaption");
        for (ComboBox<RunHistory.Entry> c : java.util.List.of(runA, runB)) {
            c.setItems(vm.history);
            c.setPrefWidth(280);
            c.setCellFactory(v -> new EntryCell());
            c.setButtonCell(new EntryCell());
        }
        compare.disableProperty().bind(runA.valueProperty().isNull().or(runB.valueProperty().isNull()));
        compare.setOnAction(e -> compare(runA.getValue().dir(), runB.getValue().dir()));
        HBox pick = new HBox(6, new Label("A"), runA, new Label("B"), runB, compare);
        pick.setAlignment(Pos.CENTER_LEFT);
        pick.setPadding(new Insets(4));
        setTop(new VBox(2, pick, message));

        table.getColumns().add(col("layer", MaskComparison.Layer::set));
        table.getColumns().add(col("units", MaskComparison.Layer::units));
        table.getColumns().add(col("Jaccard", l -> String.format(Locale.ROOT, "%.4f", l.jaccard())));
        table.getColumns().add(col("both", l -> percent(l.bothShare())));
        table.getColumns().add(col("only A", l -> percent(l.onlyAShare())));
        table.getColumns().add(col("only B", l -> percent(l.onlyBShare())));
        table.getColumns().add(col("channels that differ", l -> l.onlyAChannels() == null ? ""
                : "A " + l.onlyAChannels() + " · B " + l.onlyBChannels()));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.getSelectionModel().selectedIndexProperty().addListener((o, a, i) -> draw(i.intValue()));

        image.setPreserveRatio(true);
        image.setSmooth(false);
        StackPane holder = new StackPane(image);
        holder.setMinSize(50, 50);
        image.fitWidthProperty().bind(holder.widthProperty().subtract(4));
        image.fitHeightProperty().bind(holder.heightProperty().subtract(4));
        HBox legend = new HBox(10, swatch("both", BOTH), swatch("only A", ONLY_A), swatch("only B", ONLY_B),
                swatch("neither", NEITHER));
        legend.setAlignment(Pos.CENTER_LEFT);
        BorderPane raster = new BorderPane(holder, caption, null, legend, null);
        SplitPane split = new SplitPane(table, raster);
        split.setDividerPositions(0.55);
        setCenter(split);
    }

    /** The comparison shown now (null before one). */
    public SimpleObjectProperty<MaskComparison> comparison() {
        return comparison;
    }

    /** Compares two run folders on a helper thread; a refusal shows as one line. */
    public void compare(Path a, Path b) {
        message.setText("comparing …");
        CompletableFuture.runAsync(() -> {
            try {
                MaskComparison c = MaskComparison.of(a, b);
                int[] hw = {0, 0};
                try {
                    Graph g = ModelStore.readInfo(Path.of(c.report().model())).graph();
                    hw[0] = g.height();
                    hw[1] = g.width();
                } catch (Exception e) {
                    // the input model has moved: layers reading pixels are drawn as plain weight grids
                }
                Platform.runLater(() -> {
                    imageHeight = hw[0];
                    imageWidth = hw[1];
                    comparison.set(c);
                    table.getItems().setAll(c.layers());
                    message.setText(String.format(Locale.ROOT, "%s masks of %s: A %s, B %s",
                            c.report().granularity(), Path.of(c.report().model()).getFileName(), a.getFileName(),
                            b.getFileName()));
                    table.getSelectionModel().select(0);
                });
            } catch (Exception e) {
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                Platform.runLater(() -> {
                    comparison.set(null);
                    table.getItems().clear();
                    image.setImage(null);
                    message.setText(msg.replace('\n', ' '));
                });
            }
        });
    }

    private void draw(int j) {
        MaskComparison c = comparison.get();
        if (c == null || j < 0 || j >= c.layers().size()) {
            image.setImage(null);
            caption.setText(" ");
            return;
        }
        MaskComparison.Layer l = c.layers().get(j);
        int[][] px = new int[1][];
        int[] wh = overlap(l.shape(), c.keepA(j), c.keepB(j), imageHeight, imageWidth, px);
        WritableImage img = new WritableImage(wh[0], wh[1]);
        img.getPixelWriter().setPixels(0, 0, wh[0], wh[1], PixelFormat.getIntArgbInstance(), px[0], 0, wh[0]);
        image.setImage(img);
        caption.setText(String.format(Locale.ROOT, "%s · Jaccard %.4f · both %s, only A %s, only B %s", l.set(),
                l.jaccard(), percent(l.bothShare()), percent(l.onlyAShare()), percent(l.onlyBShare())));
    }

    /**
     * The two masks laid out as {@link MaskRaster} lays out one, as ARGB pixels in {@code out[0]}; returns {width,
     * height}. A cell is kept by a run when its mask is above 0.5; for a layer drawn as input pixels (a cell is the
     * mean over the layer's outputs) when any weight of the pixel is kept.
     */
    static int[] overlap(long[] shape, boolean[] a, boolean[] b, int imageHeight, int imageWidth, int[][] out) {
        MaskRaster ra = MaskRaster.of(shape, floats(a), imageHeight, imageWidth);
        MaskRaster rb = MaskRaster.of(shape, floats(b), imageHeight, imageWidth);
        float cut = ra.layout() == MaskRaster.Layout.PIXELS ? 0f : 0.5f;
        int w = ra.width(), h = ra.height();
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float va = ra.cell(x, y), vb = rb.cell(x, y);
                px[y * w + x] = Float.isNaN(va) ? MaskRaster.argb(Float.NaN) : va > cut && vb > cut ? BOTH
                        : va > cut ? ONLY_A : vb > cut ? ONLY_B : NEITHER;
            }
        }
        out[0] = px;
        return new int[] {w, h};
    }

    private static float[] floats(boolean[] k) {
        float[] v = new float[k.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = k[i] ? 1f : 0f;
        }
        return v;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }

    private static <T> TableColumn<MaskComparison.Layer, T> col(String name, Function<MaskComparison.Layer, T> f) {
        TableColumn<MaskComparison.Layer, T> c = new TableColumn<>(name);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(f.apply(d.getValue())));
        return c;
    }

    private static HBox swatch(String text, int argb) {
        Region r = new Region();
        r.setMinSize(12, 12);
        r.setStyle(String.format("-fx-background-color: #%06x; -fx-border-color: #888;", argb & 0xFFFFFF));
        HBox box = new HBox(4, r, new Label(text));
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    @Override
    public javafx.scene.Node node() {
        return this;
    }

    private static final class EntryCell extends ListCell<RunHistory.Entry> {
        @Override
        protected void updateItem(RunHistory.Entry e, boolean empty) {
            super.updateItem(e, empty);
            setText(empty || e == null ? null : e.name() + " · " + e.seriesKey() + String.format(Locale.ROOT,
                    " · %.2f", e.summary().achievedSparsity()));
        }
    }
}
