package io.otprune.ui;

import static io.otprune.ui.ViewParts.col;

import java.util.List;
import java.util.Locale;
import javafx.scene.Node;
import javafx.scene.control.TableView;

/** The model's conv/linear layers: kind, shape, output units, parameters and multiply-adds. */
final class LayersView implements WorkbenchView {
    private final TableView<ModelPreview.LayerRow> table = new TableView<>();

    LayersView(Context ctx) {
        table.setId("layers");
        table.getColumns().add(col("layer", ModelPreview.LayerRow::name));
        table.getColumns().add(col("kind", ModelPreview.LayerRow::kind));
        table.getColumns().add(col("shape", ModelPreview.LayerRow::shape));
        table.getColumns().add(col("units", r -> String.format(Locale.ROOT, "%,d", r.units())));
        table.getColumns().add(col("params", r -> String.format(Locale.ROOT, "%,d", r.params())));
        table.getColumns().add(col("MACs", r -> String.format(Locale.ROOT, "%,d", r.macs())));
        table.setPrefHeight(170);
        ctx.vm().model.addListener((o, a, b) -> table.getItems().setAll(b == null ? List.of() : b.layers()));
    }

    @Override
    public Node node() {
        return table;
    }
}
