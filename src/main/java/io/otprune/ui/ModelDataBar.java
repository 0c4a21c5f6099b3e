package io.otprune.ui;

import static io.otprune.ui.ViewParts.spacer;
import static io.otprune.ui.ViewParts.tip;

import io.otprune.data.Datasets;
import io.otprune.train.Devices;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

/** The bar on top: the model (samples, folder, ONNX file) and the data set pickers, the model's one-line summary. */
final class ModelDataBar implements WorkbenchView {
    private final VBox box;

    ModelDataBar(Context ctx) {
        WorkbenchViewModel vm = ctx.vm();
        ComboBox<Path> models = new ComboBox<>(vm.sampleModels);
        models.setPromptText("sample models");
        models.setId("modelPicker");
        models.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Path p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : p.getFileName().toString());
            }
        });
        models.setButtonCell(models.getCellFactory().call(null));
        vm.modelDir.addListener((o, a, b) -> models.setValue(b));
        models.setOnAction(e -> {
            Path p = models.getValue();
            if (p != null && !p.equals(vm.modelDir.get())) {
                vm.loadModel(p);
            }
        });
        tip(models, "Pick one of the sample models shipped with the workbench");
        Button open = new Button("Open model…");
        open.setId("openModel");
        tip(open, "Open a model folder (model.json + model.params); you can also drop a folder or an .onnx file on "
                + "the window");
        open.setOnAction(e -> {
            DirectoryChooser ch = new DirectoryChooser();
            ch.setTitle("Open a model folder");
            File f = ch.showDialog(ctx.window().get());
            if (f != null) {
                vm.loadModel(f.toPath());
            }
        });
        Button openOnnx = new Button("Open ONNX…");
        openOnnx.setId("openOnnx");
        tip(openOnnx, "Import an .onnx file (exported from PyTorch or anything else) into a model folder under "
                + vm.importedModelsRoot() + " and open it; you can also drop the file on the window");
        openOnnx.setOnAction(e -> {
            FileChooser ch = new FileChooser();
            ch.setTitle("Open an ONNX model");
            ch.getExtensionFilters().add(new FileChooser.ExtensionFilter("ONNX models", "*.onnx"));
            File f = ch.showOpenDialog(ctx.window().get());
            if (f != null) {
                vm.loadModel(f.toPath());
            }
        });
        ComboBox<Datasets.Choice> data = new ComboBox<>(vm.datasets);
        data.setId("dataPicker");
        data.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Datasets.Choice c, boolean empty) {
                super.updateItem(c, empty);
                setText(empty || c == null ? null : dataLabel(c.id()) + (c.available() ? "" : " (not installed)"));
                setDisable(c != null && !c.available());
                setTooltip(c == null ? null : new Tooltip(c.available() ? c.description() : c.hint()));
            }
        });
        data.setButtonCell(data.getCellFactory().call(null));
        Runnable showChosen = () -> vm.datasets.stream().filter(c -> c.id().equals(vm.dataId.get())).findFirst()
                .ifPresent(data::setValue);
        vm.dataId.addListener((o, a, b) -> showChosen.run());
        vm.datasets.addListener((ListChangeListener<Datasets.Choice>) c -> showChosen.run());
        showChosen.run();
        data.setOnAction(e -> {
            if (data.getValue() != null && data.getValue().available()) {
                vm.dataId.set(data.getValue().id());
            }
        });
        tip(data, "Data to prune and fine-tune on; the embedded subsets need nothing installed");
        Button openData = new Button("Open data folder…");
        openData.setId("openData");
        tip(openData, "Use a folder of data: image folders (one per class), CIFAR .bin files or IDX files; you can "
                + "also drop it on the window");
        openData.setOnAction(e -> {
            DirectoryChooser ch = new DirectoryChooser();
            ch.setTitle("Open a data folder");
            File f = ch.showDialog(ctx.window().get());
            if (f != null) {
                vm.openData(f.toPath());
            }
        });
        openData.disableProperty().bind(vm.running);
        openData.setMinWidth(Label.USE_PREF_SIZE);
        data.disableProperty().bind(vm.running);
        models.disableProperty().bind(vm.running);
        open.disableProperty().bind(vm.running);
        openOnnx.disableProperty().bind(vm.running);
        Label info = new Label();
        info.setId("modelInfo");
        info.textProperty().bind(Bindings.createStringBinding(() -> {
            ModelPreview p = vm.model.get();
            return p == null ? "no model" : String.format(Locale.ROOT,
                    "%s · %d conv/linear layers · %,d params · %,d MACs · dense %.2f%% on %s", p.info().name(),
                    p.layers().size(), p.params(), p.macs(), 100 * p.info().testAccuracy(), p.info().dataset());
        }, vm.model));
        String convProblem = io.otprune.model.ConvolutionGuard.problem();
        Label device = new Label("device: " + Devices.describe() + (convProblem == null ? "" : " · ⚠ wrong convolutions"));
        Tooltip deviceTip = new Tooltip();
        // written when shown: the convolution guard may turn oneDNN off during a run
        deviceTip.setOnShowing(e -> {
            String convCheck = io.otprune.model.ConvolutionGuard.summary();
            deviceTip.setText((convProblem == null ? "" : "WARNING: ") + (convCheck.equals("right") ? ""
                    : "CPU convolutions: " + convCheck + "\n") + "PyTorch native libraries: "
                    + io.otprune.util.Versions.nativeCache() + " (set DJL_CACHE_DIR to move them); runs: "
                    + WorkbenchApp.RUNS);
        });
        device.setTooltip(deviceTip);
        if (convProblem != null) {
            device.setStyle("-fx-text-fill: #b00020; -fx-font-weight: bold;");
        }
        Label modelLabel = new Label("Model");
        Label dataLabel = new Label("Data");
        for (Label l : List.of(modelLabel, dataLabel, device)) {
            l.setMinWidth(Label.USE_PREF_SIZE);
        }
        models.setMinWidth(190);
        data.setMinWidth(190);
        open.setMinWidth(Label.USE_PREF_SIZE);
        HBox bar = new HBox(10, modelLabel, models, open, openOnnx, dataLabel, data, openData, spacer(), device);
        bar.setAlignment(Pos.CENTER_LEFT);
        info.setStyle("-fx-text-fill: #444;");
        box = new VBox(4, bar, info);
        box.setPadding(new Insets(8));
    }

    /** A data set in the picker: its id, or a folder's name (the full path is in its tooltip). */
    static String dataLabel(String id) {
        Path p = Path.of(id);
        return p.getNameCount() > 1 || p.isAbsolute() ? p.getFileName() + " (folder)" : id;
    }

    @Override
    public Node node() {
        return box;
    }
}
