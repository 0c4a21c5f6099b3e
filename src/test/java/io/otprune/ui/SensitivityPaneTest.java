package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.otprune.run.SensitivityScan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

/** The sensitivity pane on its own (headless, Monocle): scan, heatmap content, floors into the next run, Stop. */
@ExtendWith(ApplicationExtension.class)
class SensitivityPaneTest {
    static Path tmp;
    static Path model;
    WorkbenchViewModel vm;
    SensitivityPane pane;

    @BeforeAll
    static void copyModel() throws Exception {
        tmp = Files.createTempDirectory("otprune-sensitivity-pane");
        model = Files.createDirectories(tmp.resolve("samples/lenet5-fmnist"));
        Path repo = Path.of(System.getProperty("otprune.repo", "."));
        try (var files = Files.list(repo.resolve("sample-models/lenet5-fmnist"))) {
            for (Path f : files.toList()) {
                Files.copy(f, model.resolve(f.getFileName()));
            }
        }
    }

    @AfterAll
    static void cleanup() throws Exception {
        io.otprune.util.Files2.deleteRecursively(tmp);
    }

    @Start
    void start(Stage stage) {
        vm = new WorkbenchViewModel(Platform::runLater, tmp.resolve("samples"), tmp.resolve("runs"));
        vm.device.set("cpu");
        vm.modelDir.set(model);
        pane = new SensitivityPane(vm);
        stage.setScene(new Scene(pane, 1000, 700));
        stage.show();
    }

    @Stop
    void stop() {
        pane.shutdown();
        vm.close();
    }

    private static void waitFor(int seconds, java.util.concurrent.Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, c);
    }

    @Test
    void scansDrawsEveryLayerAndSetsFloorsForTheNextRun(FxRobot robot) throws Exception {
        robot.interact(() -> robot.lookup("#sensitivitySubset").queryAs(TextField.class).setText("100"));
        robot.clickOn("#sensitivityScan");
        waitFor(120, () -> pane.result().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        SensitivityScan.Result r = pane.result().get();
        assertThat(r.images()).isEqualTo(100);
        assertThat(r.settings().sparsities()).isEqualTo(SensitivityScan.DEFAULT_SPARSITIES);
        // the heatmap: a row label per layer, a cell per layer and sparsity showing its drop
        for (String layer : new String[] {"conv1", "conv2", "fc1", "fc2"}) {
            assertThat(robot.lookup("#sensitivityHeatmap .label").queryAllAs(Label.class))
                    .anyMatch(l -> l.getText().equals(layer));
        }
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 8; k++) {
                Label cell = robot.lookup("#cell-" + i + "-" + k).queryAs(Label.class);
                assertThat(cell.getText()).isEqualTo(String.format(Locale.ROOT, "%.1f", r.dropPoints(i, k)));
            }
        }
        assertThat(robot.lookup("#sensitivityStatus").queryAs(Label.class).getText()).contains("scanned 4 layers");
        assertThat(model.resolve(SensitivityScan.FILE)).exists();

        // floors at a tolerance go into the next run's config
        @SuppressWarnings("unchecked")
        Spinner<Double> tolerance = robot.lookup("#sensitivityTolerance").queryAs(Spinner.class);
        robot.interact(() -> tolerance.getValueFactory().setValue(2.0));
        robot.clickOn("#sensitivitySetFloors");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.floors.get()).isEqualTo(r.floors(2.0)).containsOnlyKeys("conv1", "conv2", "fc1", "fc2");
        assertThat(vm.pruneConfig().minKept()).isEqualTo(r.floors(2.0));
        assertThat(robot.lookup("#sensitivityFloors").queryAs(Label.class).getText()).contains("conv1 ≥");

        // "Fit to budget" raises the tolerance to the smallest whose floors the run's sparsity can meet
        robot.interact(() -> vm.sparsity.set(0.9));
        SensitivityScan.Fit expected = r.fitFloors(io.otprune.model.ModelStore.readInfo(model).graph(),
                vm.pruneConfig().toBuilder().minKept(java.util.Map.of()).build(), 2.0);
        robot.clickOn("#sensitivityFitFloors");
        waitFor(30, () -> expected.floors().equals(vm.floors.get()));
        assertThat(tolerance.getValue()).isEqualTo(expected.tolerancePoints()).isGreaterThanOrEqualTo(2.0);
        assertThat(robot.lookup("#sensitivityFloors").queryAs(Label.class).getText()).contains("conv1 ≥");

        // another pane (a reopened window) shows the saved scan without scanning
        SensitivityPane[] again = new SensitivityPane[1];
        robot.interact(() -> {
            again[0] = new SensitivityPane(vm);
            TextField subset = (TextField) again[0].lookup("#sensitivitySubset");
            subset.setText("100");
            subset.fireEvent(new javafx.event.ActionEvent());
        });
        waitFor(30, () -> again[0].result().get() != null);
        assertThat(again[0].result().get()).isEqualTo(r);
        again[0].shutdown();

        // another model clears the floors (they name that model's layers)
        robot.interact(() -> vm.modelDir.set(tmp.resolve("samples")));
        assertThat(vm.floors.get()).isEmpty();
    }

    @Test
    void stopEndsAScanAndSavesNothing(FxRobot robot) throws Exception {
        Files.deleteIfExists(model.resolve(SensitivityScan.FILE));
        robot.interact(() -> robot.lookup("#sensitivitySubset").queryAs(TextField.class).setText("10000"));
        robot.clickOn("#sensitivityScan");
        robot.clickOn("#sensitivityStop");
        Label status = robot.lookup("#sensitivityStatus").queryAs(Label.class);
        waitFor(120, () -> status.getText().contains("stopped"));
        assertThat(pane.result().get()).isNull();
        assertThat(model.resolve(SensitivityScan.FILE)).doesNotExist();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#sensitivityScan").queryButton().isDisabled()).isFalse();
    }
}
