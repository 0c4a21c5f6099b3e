package io.otprune.ui;

import io.otprune.data.DataSamples;
import io.otprune.data.ImageShape;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The Data tab: a row per class with its name, its count of training images and its first images, scrolling when
 * there are many classes. It only draws {@link DataSamples}, which the view-model decodes on its data thread; here
 * the bytes become images (a few hundred tiny ones: no decoding on the FX thread).
 */
public final class DataPreviewPane extends ScrollPane {
    /** On-screen size of the longer side of a sample: small images are scaled up, pixel for pixel. */
    static final double TILE = 56;

    private final Label summary = new Label("No data set read yet.");
    private final VBox rows = new VBox(4);
    private DataSamples shown;

    public DataPreviewPane() {
        setId("dataPreview");
        summary.setId("dataSummary");
        summary.setWrapText(true);
        VBox box = new VBox(6, summary, rows);
        box.setPadding(new Insets(6));
        setContent(box);
        setFitToWidth(true);
    }

    /** Shows a data set's samples; null shows that one is being read. */
    public void show(DataSamples samples) {
        shown = samples;
        rows.getChildren().clear();
        if (samples == null) {
            summary.setText("Reading the data set…");
            return;
        }
        summary.setText(samples.summary());
        double scale = Math.max(1, Math.floor(TILE / Math.max(samples.shape().height(), samples.shape().width())));
        for (int c = 0; c < samples.classNames().size(); c++) {
            Label name = new Label(samples.classNames().get(c));
            name.getStyleClass().add("data-class-name");
            name.setMinWidth(130);
            name.setPrefWidth(130);
            name.setTooltip(new Tooltip(String.format(Locale.ROOT, "class %d: %s, %,d training images", c,
                    samples.classNames().get(c), samples.trainCounts()[c])));
            Label count = new Label(String.format(Locale.ROOT, "%,d", samples.trainCounts()[c]));
            count.setMinWidth(60);
            count.setStyle("-fx-text-fill: #666;");
            HBox row = new HBox(3, name, count);
            row.setAlignment(Pos.CENTER_LEFT);
            row.getStyleClass().add("data-class-row");
            for (byte[] px : samples.images().get(c)) {
                ImageView v = new ImageView(image(px, samples.shape()));
                v.getStyleClass().add("data-sample");
                v.setSmooth(false); // pixels stay pixels when scaled up
                v.setFitWidth(samples.shape().width() * scale);
                v.setFitHeight(samples.shape().height() * scale);
                row.getChildren().add(v);
            }
            rows.getChildren().add(row);
        }
    }

    /** What the pane shows (for tests). */
    public DataSamples shown() {
        return shown;
    }

    /** One image from CHW bytes: grey repeated into R, G and B, or the three planes. */
    static WritableImage image(byte[] chw, ImageShape s) {
        int plane = s.plane();
        int[] argb = new int[plane];
        for (int p = 0; p < plane; p++) {
            int r = chw[p] & 0xff;
            int g = s.channels() == 3 ? chw[plane + p] & 0xff : r;
            int b = s.channels() == 3 ? chw[2 * plane + p] & 0xff : r;
            argb[p] = 0xff000000 | r << 16 | g << 8 | b;
        }
        WritableImage img = new WritableImage(s.width(), s.height());
        img.getPixelWriter().setPixels(0, 0, s.width(), s.height(), PixelFormat.getIntArgbInstance(), argb, 0,
                s.width());
        return img;
    }

    /** The class rows (for tests): each a name label, a count label, then the images. */
    List<HBox> classRows() {
        return rows.getChildren().stream().map(HBox.class::cast).toList();
    }
}
