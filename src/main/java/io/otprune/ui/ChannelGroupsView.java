package io.otprune.ui;

import static io.otprune.ui.ViewParts.col;
import static io.otprune.ui.ViewParts.grow;
import static io.otprune.ui.ViewParts.tip;

import io.otprune.prune.PruneConfig;
import java.util.List;
import java.util.function.Predicate;
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
 * The channel groups of structured pruning, each with its member layers: the layers whose output channels a residual
 * addition (or a product, a depthwise conv) ties together, so that they are pruned as one. In a residual network one
 * group spans a whole stage. Filtered like the layers table; choosing a row shows the group in the layer views when
 * the granularity is structured.
 */
final class ChannelGroupsView implements WorkbenchView {
    private final ObservableList<ModelPreview.ChannelGroup> groups = FXCollections.observableArrayList();
    private final FilteredList<ModelPreview.ChannelGroup> shown = new FilteredList<>(groups);
    private final TableView<ModelPreview.ChannelGroup> table = new TableView<>(shown);
    private final VBox box;

    ChannelGroupsView(Context ctx) {
        WorkbenchViewModel vm = ctx.vm();
        table.setId("channelGroups");
        table.getColumns().add(col("group", ModelPreview.ChannelGroup::name));
        table.getColumns().add(col("channels", g -> Integer.toString(g.channels())));
        table.getColumns().add(col("layers", g -> Integer.toString(g.layers().size())));
        table.getColumns().add(col("member layers", g -> String.join(", ", g.layers())));
        table.getColumns().get(3).setPrefWidth(600);
        table.setPrefHeight(170);
        Label none = new Label("No model.");
        table.setPlaceholder(none);
        TextField filter = new TextField();
        filter.setId("groupsFilter");
        filter.setPromptText("filter groups");
        tip(filter, "Show only the groups with a member layer whose name contains this text");
        filter.textProperty().addListener((o, a, text) -> shown.setPredicate(matching(text)));
        Label count = new Label();
        count.setId("groupsCount");
        count.textProperty().bind(Bindings.createStringBinding(() -> shown.size() == groups.size()
                ? groups.size() + " groups" : shown.size() + " of " + groups.size() + " groups", shown, groups));
        vm.model.addListener((o, a, m) -> {
            groups.setAll(m == null ? List.of() : m.channelGroups());
            String why = m == null ? null : m.unavailable(PruneConfig.Granularity.STRUCTURED);
            none.setText(m == null ? "No model." : why != null ? "No channel groups: " + why : "No channel groups.");
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, a, g) -> {
            if (g != null) {
                vm.selectLayer(g.name());
            }
        });
        HBox bar = new HBox(8, filter, count);
        bar.setAlignment(Pos.CENTER_LEFT);
        box = new VBox(4, bar, grow(table));
    }

    private static Predicate<ModelPreview.ChannelGroup> matching(String text) {
        Predicate<String> m = LayerPicker.matching(text);
        return m == null ? null : g -> g.layers().stream().anyMatch(m);
    }

    @Override
    public Node node() {
        return box;
    }
}
