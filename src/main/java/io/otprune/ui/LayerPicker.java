package io.otprune.ui;

import static io.otprune.ui.ViewParts.tip;

import java.util.Locale;
import java.util.function.Predicate;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;

/**
 * The picker above the layer views: shows and sets {@link WorkbenchViewModel#selectedLayer}, which every layer view
 * follows (so a view that selects a layer, such as a click in a graph, moves this picker too). With a hundred unit
 * sets a list is too long to scroll: the filter field keeps the sets whose name contains its text, and when the
 * selected one is filtered out the first that matches is selected.
 */
final class LayerPicker implements WorkbenchView {
    private final ComboBox<String> picker = new ComboBox<>();
    private final TextField filter = new TextField();
    private final HBox box;

    LayerPicker(Context ctx) {
        WorkbenchViewModel vm = ctx.vm();
        FilteredList<String> shown = new FilteredList<>(vm.layerSets);
        picker.setId("histLayer");
        picker.setItems(shown);
        picker.setVisibleRowCount(20);
        tip(picker, "Layer (unit set) whose importance scores and mask the views below show");
        picker.setValue(vm.selectedLayer.get());
        vm.selectedLayer.addListener((o, a, b) -> picker.setValue(b));
        // new items may clear the picker's value while the selection keeps its name (the same first set)
        shown.addListener((ListChangeListener<String>) c -> picker.setValue(vm.selectedLayer.get()));
        picker.setOnAction(e -> {
            if (picker.getValue() != null) { // null: the items changed under the selection; the view-model chooses
                vm.selectedLayer.set(picker.getValue());
            }
        });
        filter.setId("layerFilter");
        filter.setPromptText("filter");
        filter.setPrefColumnCount(8);
        tip(filter, "Show only the layers whose name contains this text (e.g. a stage: s2.)");
        filter.textProperty().addListener((o, a, text) -> {
            shown.setPredicate(matching(text));
            if (!shown.isEmpty() && !shown.contains(vm.selectedLayer.get())) {
                vm.selectedLayer.set(shown.get(0));
            }
        });
        Label count = new Label();
        count.setId("layerCount");
        count.textProperty().bind(Bindings.createStringBinding(() -> shown.size() == vm.layerSets.size()
                ? vm.layerSets.size() + " sets" : shown.size() + " of " + vm.layerSets.size(), shown, vm.layerSets));
        box = new HBox(6, new Label("Layer"), picker, filter, count);
        box.setAlignment(Pos.CENTER_LEFT);
    }

    /** Names that contain {@code text}, ignoring case; everything for a blank text. */
    static Predicate<String> matching(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return t.isEmpty() ? null : name -> name.toLowerCase(Locale.ROOT).contains(t);
    }

    @Override
    public Node node() {
        return box;
    }
}
