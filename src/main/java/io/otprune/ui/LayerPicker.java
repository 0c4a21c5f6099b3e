package io.otprune.ui;

import static io.otprune.ui.ViewParts.tip;

import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

/**
 * The picker above the layer views: shows and sets {@link WorkbenchViewModel#selectedLayer}, which every layer view
 * follows (so a view that selects a layer, such as a click in a graph, moves this picker too).
 */
final class LayerPicker implements WorkbenchView {
    private final ComboBox<String> picker = new ComboBox<>();
    private final HBox box;

    LayerPicker(Context ctx) {
        WorkbenchViewModel vm = ctx.vm();
        picker.setId("histLayer");
        picker.setItems(vm.layerSets);
        tip(picker, "Layer (unit set) whose importance scores and mask the views below show");
        picker.setValue(vm.selectedLayer.get());
        vm.selectedLayer.addListener((o, a, b) -> picker.setValue(b));
        // new items may clear the picker's value while the selection keeps its name (the same first set)
        vm.layerSets.addListener((javafx.collections.ListChangeListener<String>) c -> picker.setValue(
                vm.selectedLayer.get()));
        picker.setOnAction(e -> {
            if (picker.getValue() != null) { // null: the items changed under the selection; the view-model chooses
                vm.selectedLayer.set(picker.getValue());
            }
        });
        box = new HBox(6, new Label("Layer"), picker);
    }

    @Override
    public Node node() {
        return box;
    }
}
