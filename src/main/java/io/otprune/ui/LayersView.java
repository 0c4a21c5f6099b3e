package io.otprune.ui;

import static io.otprune.ui.ViewParts.col;
import static io.otprune.ui.ViewParts.grow;
import static io.otprune.ui.ViewParts.tip;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The model's conv/linear layers: kind, shape, output units, parameters, multiply-adds, and the channel group that
 * structured pruning prunes their output channels in. A filter field keeps the rows whose layer, kind or group
 * contains its text (a network of a hundred layers is found by stage, e.g. "s2.").
 */
final class LayersView implements WorkbenchView {
    private final ObservableList<ModelPreview.LayerRow> rows = FXCollections.observableArrayList();
    private final FilteredList<ModelPreview.LayerRow> shown = new FilteredList<>(rows);
    private final TableView<ModelPreview.LayerRow> table = new TableView<>(shown);
    /** Layer name → its channel group's name, for the model shown. */
    private Map<String, String> groupOf = Map.of();
    private final VBox box;

    LayersView(Context ctx) {
        table.setId("layers");
        table.getColumns().add(col("layer", ModelPreview.LayerRow::name));
        table.getColumns().add(col("kind", ModelPreview.LayerRow::kind));
        table.getColumns().add(col("shape", ModelPreview.LayerRow::shape));
        table.getColumns().add(col("units", r -> String.format(Locale.ROOT, "%,d", r.units())));
        table.getColumns().add(col("params", r -> String.format(Locale.ROOT, "%,d", r.params())));
        table.getColumns().add(col("MACs", r -> String.format(Locale.ROOT, "%,d", r.macs())));
        table.getColumns().add(col("channel group", this::group));
        table.setPrefHeight(170);
        TextField filter = new TextField();
        filter.setId("layersFilter");
        filter.setPromptText("filter layers");
        tip(filter, "Show only the layers whose name, kind or channel group contains this text");
        filter.textProperty().addListener((o, a, text) -> shown.setPredicate(matching(text)));
        Label count = new Label();
        count.setId("layersCount");
        count.textProperty().bind(Bindings.createStringBinding(() -> shown.size() == rows.size()
                ? rows.size() + " layers" : shown.size() + " of " + rows.size() + " layers", shown, rows));
        ctx.vm().model.addListener((o, a, b) -> {
            groupOf = b == null ? Map.of() : b.channelGroups().stream().flatMap(g -> g.layers().stream()
                    .map(l -> Map.entry(l, g.name()))).collect(Collectors.toMap(Map.Entry::getKey,
                    Map.Entry::getValue, (x, y) -> x));
            rows.setAll(b == null ? List.of() : b.layers());
        });
        // a layer picked here is shown by the layer views (its unit set at the chosen granularity)
        table.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
            if (r != null) {
                ctx.vm().selectLayer(r.name());
            }
        });
        HBox bar = new HBox(8, filter, count);
        bar.setAlignment(Pos.CENTER_LEFT);
        box = new VBox(4, bar, grow(table));
    }

    /** The channel group of a layer's output channels, or "fixed" when structured pruning keeps them all. */
    private String group(ModelPreview.LayerRow r) {
        return groupOf.getOrDefault(r.name(), "fixed");
    }

    private Predicate<ModelPreview.LayerRow> matching(String text) {
        Predicate<String> m = LayerPicker.matching(text);
        return m == null ? null : r -> m.test(r.name()) || m.test(r.kind()) || m.test(group(r));
    }

    @Override
    public Node node() {
        return box;
    }
}
