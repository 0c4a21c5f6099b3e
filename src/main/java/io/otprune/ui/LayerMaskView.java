package io.otprune.ui;

import javafx.scene.Node;

/** The selected layer's current mask as a heatmap ({@link MaskView}), redrawn when a new mask snapshot arrives. */
final class LayerMaskView implements WorkbenchView {
    private final MaskView maskView = new MaskView();

    LayerMaskView(Context ctx) {
        WorkbenchViewModel vm = ctx.vm();
        Runnable redraw = () -> {
            String layer = vm.selectedLayer.get();
            ModelPreview m = vm.model.get();
            if (m == null) {
                maskView.show(null, 0, 0);
                return;
            }
            maskView.show(layer == null ? null : vm.mask(layer), m.info().graph().height(), m.info().graph().width());
        };
        ctx.charts().onDataChanged(redraw);
        vm.selectedLayer.addListener((o, a, b) -> redraw.run());
    }

    @Override
    public Node node() {
        return maskView;
    }
}
