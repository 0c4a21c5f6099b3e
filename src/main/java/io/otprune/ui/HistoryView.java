package io.otprune.ui;

import static io.otprune.ui.ViewParts.col;
import static io.otprune.ui.ViewParts.grow;
import static io.otprune.ui.ViewParts.tip;
import static io.otprune.ui.ViewParts.viewer;

import io.otprune.run.RunHistory;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Finished runs (this session's and the runs folder's) and the accuracy-vs-sparsity chart of the chosen ones; the
 * interrupted runs below, each resumable.
 */
final class HistoryView implements WorkbenchView {
    private final TableView<RunHistory.Entry> table = new TableView<>();
    private final XYSeriesCollection comparisonData = new XYSeriesCollection();
    private final JFreeChart comparisonChart = Charts.comparison(comparisonData);
    private final SplitPane split;

    HistoryView(Context ctx) {
        WorkbenchViewModel vm = ctx.vm();
        table.setId("history");
        table.setPrefHeight(170);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.getColumns().add(col("finished", e -> DateTimeFormatter.ofPattern("MM-dd HH:mm")
                .withZone(ZoneId.systemDefault()).format(e.finished())));
        table.getColumns().add(col("model", e -> Path.of(e.model()).getFileName().toString()));
        table.getColumns().add(col("data", RunHistory.Entry::data));
        table.getColumns().add(col("method", e -> e.summary().method().toLowerCase(Locale.ROOT)));
        table.getColumns().add(col("granularity", e -> e.summary().granularity().toLowerCase(Locale.ROOT)));
        table.getColumns().add(col("budget", e -> e.summary().budget().toLowerCase(Locale.ROOT)));
        table.getColumns().add(col("sparsity", e -> String.format(Locale.ROOT, "%.4f",
                e.summary().achievedSparsity())));
        table.getColumns().add(col("dense", e -> String.format(Locale.ROOT, "%.2f%%",
                100 * e.summary().denseAccuracy())));
        table.getColumns().add(col("final", e -> String.format(Locale.ROOT, "%.2f%%",
                100 * e.summary().finalAccuracy())));
        table.getColumns().add(col("folder", RunHistory.Entry::name));
        table.setItems(vm.history);
        table.setPlaceholder(new Label("No finished runs in " + vm.runsRoot() + " yet."));
        tip(table, "Finished runs in " + vm.runsRoot() + "; select several (Ctrl/Shift) to compare them");
        table.getSelectionModel().getSelectedItems().addListener(
                (ListChangeListener<RunHistory.Entry>) c -> redrawComparison());
        String compare = ScreenshotHooks.comparedModels();
        vm.history.addListener((ListChangeListener<RunHistory.Entry>) c -> {
            if (table.getSelectionModel().isEmpty() && !vm.history.isEmpty()) {
                // compare everything until the user chooses; one selection change, so one chart rebuild
                int[] rows = IntStream.range(0, vm.history.size())
                        .filter(i -> vm.history.get(i).model().contains(compare)).toArray();
                if (rows.length > 0) {
                    table.getSelectionModel().selectIndices(rows[0], Arrays.copyOfRange(rows, 1, rows.length));
                }
            }
        });
        Button refresh = new Button("Rescan");
        refresh.setId("historyRefresh");
        tip(refresh, "Read the runs folder again (runs made by the CLI into it appear too)");
        refresh.setOnAction(e -> vm.refreshHistory());
        Label skipped = new Label();
        skipped.textProperty().bind(Bindings.createStringBinding(() -> vm.historySkipped.get() == 0 ? ""
                : vm.historySkipped.get() + " folder(s) that are not runs, not listed", vm.historySkipped));
        // interrupted runs (killed, stopped, failed: run.json without summary.json), each resumable
        ListView<RunHistory.Interrupted> broken = new ListView<>(vm.interrupted);
        broken.setId("interrupted");
        broken.setPrefHeight(64);
        broken.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(RunHistory.Interrupted i, boolean empty) {
                super.updateItem(i, empty);
                setText(empty || i == null ? null : String.format(Locale.ROOT, "interrupted · %s · %s %s %.4f · %s · %s",
                        Path.of(i.model()).getFileName(), i.method(), i.granularity(), i.sparsity(), i.progress(),
                        i.name()));
            }
        });
        broken.setPlaceholder(new Label("No interrupted runs."));
        tip(broken, "Runs that did not finish (killed, stopped or failed); Resume continues one from the end of its "
                + "last finished epoch");
        Button resume = new Button("Resume");
        resume.setId("historyResume");
        tip(resume, "Continue the selected interrupted run from its last checkpoint, in its own folder");
        resume.disableProperty().bind(broken.getSelectionModel().selectedItemProperty().isNull().or(vm.running));
        resume.setOnAction(e -> vm.resumeRun(broken.getSelectionModel().getSelectedItem()));
        VBox left = new VBox(4, grow(table), new HBox(8, refresh, skipped), broken, resume);
        split = new SplitPane(left, viewer(comparisonChart, "comparisonChart"));
        split.setDividerPositions(0.45);
        split.setPrefHeight(200);
    }

    private void redrawComparison() {
        comparisonData.removeAllSeries();
        List<RunHistory.Entry> chosen = List.copyOf(table.getSelectionModel().getSelectedItems());
        comparisonChart.getXYPlot().clearRangeMarkers();
        WorkbenchViewModel.denseAccuracies(chosen).forEach((model, acc) -> comparisonChart.getXYPlot().addRangeMarker(
                Charts.marker(acc, String.format(Locale.ROOT, "%s dense %.2f%%", model, 100 * acc))));
        WorkbenchViewModel.comparison(chosen).forEach((name, points) -> {
            XYSeries s = new XYSeries(name, false, true);
            Charts.fill(s, points);
            comparisonData.addSeries(s);
        });
    }

    @Override
    public Node node() {
        return split;
    }
}
