package io.otprune.ui;

import static io.otprune.ui.ViewParts.tip;

import io.otprune.run.PruneSummary;
import io.otprune.run.RunExport;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** The finished run's card (accuracy, sparsity, sizes, latency) and its exports; brought to the front at a run's end. */
final class ResultView implements WorkbenchView {
    private final WorkbenchViewModel vm;
    private final VBox box;

    ResultView(Context ctx) {
        vm = ctx.vm();
        Label result = new Label("Results appear here when a run ends.");
        result.setId("summary");
        result.setWrapText(true);
        result.setStyle("-fx-font-family: monospace;");
        vm.summary.addListener((o, a, s) -> result.setText(s == null ? "" : card(s)));
        ScrollPane rs = new ScrollPane(result);
        rs.setFitToWidth(true);
        rs.setPrefHeight(140);
        Button exportModel = new Button("Export model…");
        exportModel.setId("exportModel");
        tip(exportModel, "Copy the pruned model (compact for structured runs) to a new folder");
        exportModel.setOnAction(e -> exportModel(ctx.window().get()));
        Button exportOnnx = new Button("Export ONNX…");
        exportOnnx.setId("exportOnnx");
        tip(exportOnnx, "Write the pruned model (compact for structured and depth runs) as ONNX opset 13, checked by "
                + "running it in ONNX Runtime against this model (not written if they differ by more than 1e-4)");
        exportOnnx.setOnAction(e -> {
            FileChooser ch = new FileChooser();
            ch.setTitle("ONNX file to write");
            ch.setInitialFileName(vm.lastRunDir.get() == null ? "model.onnx" : vm.lastRunDir.get().getFileName()
                    + ".onnx");
            File f = ch.showSaveDialog(ctx.window().get());
            if (f != null) {
                vm.exportOnnx(f.toPath());
            }
        });
        Button exportCsv = new Button("Export metrics CSV…");
        exportCsv.setId("exportCsv");
        tip(exportCsv, "Write the run's step, epoch and prune events as CSV files into a folder");
        exportCsv.setOnAction(e -> exportCsv(ctx.window().get()));
        Label reproduce = new Label();
        reproduce.setWrapText(true);
        reproduce.textProperty().bind(Bindings.createStringBinding(() -> vm.lastRunDir.get() == null ? ""
                : "run.json (reproduce with the CLI: its \"command\"): " + vm.lastRunDir.get().resolve("run.json"),
                vm.lastRunDir));
        for (Button b : List.of(exportModel, exportOnnx, exportCsv)) {
            b.disableProperty().bind(vm.summary.isNull());
        }
        tip(reproduce, "Charts export to PNG from their right-click menu");
        box = new VBox(6, rs, new HBox(8, exportModel, exportOnnx, exportCsv), reproduce);
        box.setPadding(new Insets(4));
        vm.summary.addListener((o, a, s) -> {
            if (s != null) {
                ctx.reveal().accept(WorkbenchViews.RESULT);
            }
        });
    }

    private void exportModel(Window owner) {
        PruneSummary s = vm.summary.get();
        DirectoryChooser ch = new DirectoryChooser();
        ch.setTitle("Folder to export the model into (a new sub-folder is created)");
        File f = ch.showDialog(owner);
        if (s == null || f == null) {
            return;
        }
        Path target = f.toPath().resolve(Path.of(s.modelDir()).getParent().getFileName() + "-model");
        try {
            RunExport.copyModel(Path.of(s.modelDir()), target);
            vm.status.set("model exported to " + target);
        } catch (IOException ex) {
            vm.error.set("Export failed: " + ex.getMessage());
        }
    }

    private void exportCsv(Window owner) {
        Path run = vm.lastRunDir.get();
        DirectoryChooser ch = new DirectoryChooser();
        ch.setTitle("Folder for the metrics CSV files");
        File f = ch.showDialog(owner);
        if (run == null || f == null) {
            return;
        }
        try {
            for (String type : List.of("step", "epoch", "prune")) {
                RunExport.metricsCsv(run.resolve("metrics.jsonl"), type,
                        f.toPath().resolve(run.getFileName() + "-" + type + ".csv"));
            }
            vm.status.set("metrics written to " + f);
        } catch (IOException | RuntimeException ex) {
            vm.error.set("Export failed: " + ex.getMessage());
        }
    }

    static String card(PruneSummary s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s · %s · %s budget · %s scope%n", s.method(), s.granularity(), s.budget(),
                s.scope()));
        b.append(String.format(Locale.ROOT, "accuracy: dense %.2f%% → pruned %.2f%% (hardening gap %+.2f points, "
                + "sharpness at hardening %.4f)%n", 100 * s.denseAccuracy(), 100 * s.finalAccuracy(),
                100 * s.hardeningGap(), s.maskSharpnessAtHardening()));
        b.append(String.format(Locale.ROOT, "sparsity: target %.4f, achieved %.6f · units %.4f · params %.4f · FLOPs %.4f%n",
                s.targetSparsity(), s.achievedSparsity(), s.achievedUnitSparsity(), s.achievedParamSparsity(),
                s.achievedFlopSparsity()));
        b.append(String.format(Locale.ROOT, "params %,d → %,d · MACs %,d → %,d · %.0f s on %s%n", s.paramsBefore(),
                s.paramsAfter(), s.flopsBefore(), s.flopsAfter(), s.seconds(), s.device()));
        if (s.speedBefore() != null) {
            b.append(String.format(Locale.ROOT, "latency batch 1: %.3f → %.3f ms · batch 256: %.1f → %.1f ms · files %,d → %,d bytes%n",
                    s.speedBefore().batch1Ms(), s.speedAfter().batch1Ms(), s.speedBefore().batch256Ms(),
                    s.speedAfter().batch256Ms(), s.speedBefore().fileBytes(), s.speedAfter().fileBytes()));
        }
        if (!s.note().isEmpty()) {
            b.append(s.note()).append('\n');
        }
        b.append("model: ").append(s.modelDir());
        return b.toString();
    }

    @Override
    public Node node() {
        return box;
    }
}
