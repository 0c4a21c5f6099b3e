package io.otprune.ui;

import static io.otprune.ui.ViewParts.tip;

import io.otprune.prune.PruneConfig;
import io.otprune.train.Devices;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import org.controlsfx.control.SegmentedButton;

/** The run's settings (sparsity and its preview, granularity, budget, method, epochs, …), Start/Pause/Stop, progress. */
final class ControlsView implements WorkbenchView {
    private final WorkbenchViewModel vm;
    private final ScrollPane pane;

    ControlsView(Context ctx) {
        vm = ctx.vm();
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.setPadding(new Insets(8));
        int row = 0;
        Slider slider = new Slider(0, 0.99, vm.sparsity.get());
        slider.setId("sparsitySlider");
        slider.setBlockIncrement(0.01);
        slider.setMajorTickUnit(0.25);
        slider.setShowTickMarks(true);
        slider.valueProperty().bindBidirectional(vm.sparsity);
        tip(slider, "Fraction of the budget to remove (arrow keys move it by 1%)");
        TextField field = new TextField();
        field.setId("sparsityField");
        field.setPrefColumnCount(5);
        tip(field, "Sparsity as a number in [0, 0.99]; Enter applies it");
        vm.sparsity.addListener((o, a, b) -> field.setText(String.format(Locale.ROOT, "%.4f", b.doubleValue())));
        field.setText(String.format(Locale.ROOT, "%.4f", vm.sparsity.get()));
        field.setOnAction(e -> {
            try {
                double v = Double.parseDouble(field.getText().trim());
                if (!(v >= 0 && v <= 0.99)) {
                    throw new NumberFormatException();
                }
                vm.sparsity.set(v);
            } catch (NumberFormatException ex) {
                field.setText(String.format(Locale.ROOT, "%.4f", vm.sparsity.get()));
                vm.error.set("");
                vm.error.set("Sparsity must be a number between 0 and 0.99");
            }
        });
        // as every setting: a run keeps the sparsity it started with, and the preview must not drift from it
        slider.disableProperty().bind(vm.running);
        field.disableProperty().bind(vm.running);
        g.addRow(row++, new Label("Sparsity"), new HBox(6, slider, field));
        Label preview = new Label();
        preview.setId("preview");
        preview.setWrapText(true);
        preview.setMaxWidth(330);
        preview.textProperty().bind(vm.previewText);
        tip(preview, "What the setting keeps if pruning started from the weight magnitudes (exact budget)");
        g.add(preview, 0, row++, 2, 1);

        ToggleButton unstructured = new ToggleButton("Unstructured");
        unstructured.setId("unstructured");
        ToggleButton structured = new ToggleButton("Structured");
        structured.setId("structured");
        ToggleButton depth = new ToggleButton("Depth");
        depth.setId("depth");
        SegmentedButton gran = new SegmentedButton(unstructured, structured, depth);
        unstructured.setSelected(true);
        Map<PruneConfig.Granularity, ToggleButton> granButtons = new EnumMap<>(Map.of(
                PruneConfig.Granularity.UNSTRUCTURED, unstructured, PruneConfig.Granularity.STRUCTURED, structured,
                PruneConfig.Granularity.DEPTH, depth));
        granButtons.forEach((kind, b) -> b.setOnAction(e -> {
            b.setSelected(true);
            vm.granularity.set(kind);
        }));
        vm.granularity.addListener((o, a, b) -> granButtons.get(b).setSelected(true));
        tip(unstructured, "Prune single weights (sparse masks, no speed-up on dense kernels)");
        tip(structured, "Prune whole channels: a physically smaller, faster model");
        tip(depth, "Remove whole residual blocks (resnet20): a shallower model, faster on every device");
        gran.disableProperty().bind(vm.running);
        g.addRow(row++, new Label("Granularity"), gran);
        g.addRow(row++, new Label("Budget"), enumBox("budget", vm.budget, PruneConfig.Budget.values(),
                "What sparsity measures: units, parameters, multiply-adds, or (depth) measured block latency"));
        g.addRow(row++, new Label("Scope"), enumBox("scope", vm.scope, PruneConfig.Scope.values(),
                "Global: per-layer sparsity is learned; layer: every layer at the same ratio"));
        g.addRow(row++, new Label("Method"), enumBox("method", vm.method, PruneConfig.Method.values(),
                "DTP (optimal transport); GMP, magnitude, random; EGP (entropy-guided, weights); CPOT (barycenter, channels)"));
        g.addRow(row++, new Label("Temperature"), enumBox("temperature", vm.temperature,
                PruneConfig.TemperatureMode.values(), "auto: ε steered by mask sharpness; schedule: ε₀ → ε₀/1000"));
        Spinner<Double> eps0 = new Spinner<>(0.01, 5.0, vm.eps0.get(), 0.05);
        eps0.setEditable(true);
        eps0.valueProperty().addListener((o, a, b) -> vm.eps0.set(b));
        tip(eps0, "Initial temperature ε₀ of the transport plan (scores have mean 1)");
        eps0.disableProperty().bind(vm.running);
        g.addRow(row++, new Label("ε₀"), eps0);
        g.addRow(row++, new Label("Prune epochs"), intSpinner(vm.pruneEpochs, 0, 50, "Epochs with soft masks (DTP) or gradual pruning (GMP)"));
        g.addRow(row++, new Label("Fine-tune epochs"), intSpinner(vm.finetuneEpochs, 0, 50, "Epochs with the hard mask fixed"));
        g.addRow(row++, new Label("Seed"), intSpinner(vm.seed, 0, 1_000_000, "Random seed of the run"));
        ComboBox<String> device = new ComboBox<>(FXCollections.observableArrayList("auto", "cpu", "gpu"));
        device.valueProperty().bindBidirectional(vm.device);
        device.disableProperty().bind(vm.running);
        tip(device, "Where the run computes: " + Devices.describe());
        g.addRow(row++, new Label("Device"), device);

        Button start = new Button("Start");
        start.setId("start");
        start.setDefaultButton(true);
        start.disableProperty().bind(vm.running.or(vm.model.isNull()));
        start.setOnAction(e -> vm.start());
        tip(start, "Start pruning with these settings (Space)");
        Button pause = new Button();
        pause.setId("pause");
        pause.textProperty().bind(Bindings.when(vm.paused).then("Resume").otherwise("Pause"));
        pause.disableProperty().bind(vm.running.not());
        pause.setOnAction(e -> vm.togglePause());
        tip(pause, "Pause or resume the run (Space)");
        Button stop = new Button("Stop");
        stop.setId("stop");
        stop.disableProperty().bind(vm.running.not());
        stop.setOnAction(e -> vm.stop());
        tip(stop, "Stop the run within one training step (Esc)");
        g.add(new HBox(8, start, pause, stop), 0, row++, 2, 1);
        ProgressBar bar = new ProgressBar();
        bar.setId("progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(vm.progress);
        g.add(bar, 0, row++, 2, 1);
        Label status = new Label();
        status.setId("status");
        status.setWrapText(true);
        status.setMaxWidth(330);
        status.textProperty().bind(vm.status);
        g.add(status, 0, row++, 2, 1);
        pane = new ScrollPane(g);
        pane.setFitToWidth(true);
        pane.setPrefWidth(380);
    }

    private <E extends Enum<E>> ComboBox<E> enumBox(String id, ObjectProperty<E> p, E[] values, String tip) {
        ComboBox<E> box = new ComboBox<>(FXCollections.observableArrayList(values));
        box.setId(id);
        box.valueProperty().bindBidirectional(p);
        box.disableProperty().bind(vm.running);
        tip(box, tip);
        return box;
    }

    private Spinner<Integer> intSpinner(IntegerProperty p, int min, int max, String tip) {
        Spinner<Integer> s = new Spinner<>(min, max, p.get());
        s.setEditable(true);
        s.setPrefWidth(100);
        s.valueProperty().addListener((o, a, b) -> p.set(b));
        s.disableProperty().bind(vm.running);
        tip(s, tip);
        return s;
    }

    @Override
    public Node node() {
        return pane;
    }
}
