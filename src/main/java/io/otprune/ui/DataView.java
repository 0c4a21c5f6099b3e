package io.otprune.ui;

import javafx.scene.Node;

/** A few training images of each class of the chosen data set ({@link DataPreviewPane}). */
final class DataView implements WorkbenchView {
    private final DataPreviewPane pane = new DataPreviewPane();

    DataView(Context ctx) {
        ctx.vm().dataSamples.addListener((o, a, d) -> pane.show(d));
        pane.show(ctx.vm().dataSamples.get());
    }

    @Override
    public Node node() {
        return pane;
    }
}
