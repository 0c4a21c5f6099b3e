package io.otprune.ui;

import javafx.scene.Node;

/** The dense and the pruned model's confusion matrices of the finished run ({@link ConfusionMatrixPane}). */
final class ConfusionView implements WorkbenchView {
    private final ConfusionMatrixPane pane = new ConfusionMatrixPane();

    ConfusionView(Context ctx) {
        ctx.vm().summary.addListener((o, a, s) -> pane.show(s == null ? null : s.confusion()));
    }

    @Override
    public Node node() {
        return pane;
    }
}
