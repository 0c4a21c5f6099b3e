package io.otprune.ui;

import io.otprune.train.RunEvent;
import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;

/**
 * Heatmap of one unit set's current mask ({@link MaskRaster} lays it out): nearest-neighbour scaled to fit, the
 * unit under the pointer and its mask value in the line below.
 */
final class MaskView extends BorderPane {
    private final ImageView image = new ImageView();
    private final Label caption = new Label("The mask of the chosen layer appears here while a run prunes.");
    private final Label hover = new Label(" ");
    private MaskRaster raster;
    private RunEvent.Mask shown;

    MaskView() {
        setId("maskView");
        image.setId("maskImage");
        image.setPreserveRatio(true);
        image.setSmooth(false);
        StackPane holder = new StackPane(image);
        holder.setMinSize(50, 50);
        holder.setAlignment(Pos.CENTER);
        image.fitWidthProperty().bind(holder.widthProperty().subtract(4));
        image.fitHeightProperty().bind(holder.heightProperty().subtract(4));
        hover.setId("maskHover");
        caption.setId("maskCaption");
        caption.setTextOverrun(javafx.scene.control.OverrunStyle.ELLIPSIS);
        setTop(caption);
        setCenter(holder);
        setBottom(hover);
        image.setOnMouseMoved(e -> {
            if (raster == null || image.getImage() == null) {
                return;
            }
            double sx = image.getBoundsInLocal().getWidth() / raster.width();
            double sy = image.getBoundsInLocal().getHeight() / raster.height();
            String d = raster.describe((int) (e.getX() / sx), (int) (e.getY() / sy));
            hover.setText(d == null ? " " : d);
        });
        image.setOnMouseExited(e -> hover.setText(" "));
    }

    /** Draws {@code m} (null clears); unchanged snapshots are not redrawn. */
    void show(RunEvent.Mask m, int imageHeight, int imageWidth) {
        if (m == shown) {
            return;
        }
        shown = m;
        if (m == null) {
            raster = null;
            image.setImage(null);
            caption.setText("The mask of the chosen layer appears here while a run prunes.");
            return;
        }
        raster = MaskRaster.of(m.shape(), m.values(), imageHeight, imageWidth);
        int w = raster.width(), h = raster.height();
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = MaskRaster.argb(raster.shade(x, y));
            }
        }
        WritableImage img = image.getImage() instanceof WritableImage old && (int) old.getWidth() == w
                && (int) old.getHeight() == h ? old : new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), px, 0, w);
        image.setImage(img);
        String what = switch (raster.layout()) {
            case PIXELS -> String.format(Locale.ROOT, "input pixels, mean mask over outputs (brightest %.3f)",
                    raster.brightest());
            case FILTERS -> m.shape().length == 4 ? "filters (rows) × input channels (columns)" : "outputs × inputs";
            case STRIP -> "channels";
        };
        caption.setTooltip(new javafx.scene.control.Tooltip(String.format(Locale.ROOT, "%s · %s · %s mask at step %d · %.1f%% of units above 0.5",
                m.set(), what, m.hard() ? "hard" : "soft", m.step(), 100 * raster.keptFraction())));
        caption.setText(caption.getTooltip().getText());
    }

    MaskRaster raster() {
        return raster;
    }
}
