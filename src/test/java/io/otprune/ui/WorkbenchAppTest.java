package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The window, headless (Monocle), driven like a person would. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchAppTest {
    static Path runs;
    WorkbenchApp app;

    @BeforeAll
    static void properties() throws Exception {
        runs = Files.createTempDirectory("otprune-ui-runs");
        Path repo = Path.of(System.getProperty("otprune.repo", "."));
        System.setProperty("otprune.samples", repo.resolve("sample-models").toString());
        System.setProperty("otprune.runs", runs.toString());
        System.setProperty("otprune.noPrefs", "true");
    }

    @AfterAll
    static void cleanup() throws Exception {
        io.otprune.util.Files2.deleteRecursively(runs);
    }

    @Start
    void start(Stage stage) {
        app = new WorkbenchApp();
        app.start(stage);
    }

    private void waitFor(int seconds, java.util.concurrent.Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, c);
    }

    private WorkbenchViewModel vm() {
        return app.viewModel();
    }

    private void loaded(FxRobot robot) throws Exception {
        waitFor(60, () -> vm().model.get() != null && !vm().previewText.get().isEmpty());
    }

    @Test
    void opensWithTheDefaultModelAndAPreview(FxRobot robot) throws Exception {
        loaded(robot);
        assertThat(robot.lookup("#modelInfo").queryAs(Label.class).getText()).contains("lenet5");
        assertThat(robot.lookup("#preview").queryAs(Label.class).getText()).contains("weights");
        assertThat(robot.lookup("#start").queryAs(Button.class).isDisabled()).isFalse();
    }

    @Test
    void draggingTheSliderChangesThePreview(FxRobot robot) throws Exception {
        loaded(robot);
        String before = robot.lookup("#preview").queryAs(Label.class).getText();
        double s0 = vm().sparsity.get();
        robot.drag("#sparsitySlider .thumb", MouseButton.PRIMARY).moveBy(-80, 0).release(MouseButton.PRIMARY);
        waitFor(20, () -> !robot.lookup("#preview").queryAs(Label.class).getText().equals(before));
        assertThat(vm().sparsity.get()).isLessThan(s0);
        assertThat(robot.lookup("#sparsityField").queryAs(javafx.scene.control.TextField.class).getText())
                .isEqualTo(String.format(java.util.Locale.ROOT, "%.4f", vm().sparsity.get()));
    }

    @Test
    void structuredGranularityPreviewsChannels(FxRobot robot) throws Exception {
        loaded(robot);
        robot.clickOn("#structured");
        waitFor(20, () -> robot.lookup("#preview").queryAs(Label.class).getText().contains("channels"));
        // depth on a model without residual blocks says why, and the window stays usable
        robot.clickOn("#depth");
        waitFor(20, () -> robot.lookup("#preview").queryAs(Label.class).getText().contains("no")
                && robot.lookup("#preview").queryAs(Label.class).getText().contains("residual"));
        assertThat(vm().granularity.get()).isEqualTo(io.otprune.prune.PruneConfig.Granularity.DEPTH);
        robot.clickOn("Entropy");
        assertThat(robot.lookup("#entropyChart").tryQuery()).isPresent();
        robot.clickOn("#unstructured");
        waitFor(20, () -> robot.lookup("#preview").queryAs(Label.class).getText().contains("weights"));
    }

    /** A network the zoo does not have: every conv/linear node is listed, and its traced channel groups. */
    @Test
    void anyGraphListsItsLayersAndChannelGroups(FxRobot robot) throws Exception {
        loaded(robot);
        Path dir = runs.resolveSibling(runs.getFileName() + "-graph").resolve("mnv2");
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu())) {
            io.otprune.model.Network n = new io.otprune.model.Network(io.otprune.model.TestGraphs.mobileNetStyle());
            n.initialize(m);
            io.otprune.model.ModelStore.save(dir, n, io.otprune.model.ModelInfo.builder().name("mobilenet-style")
                    .network(n.graph()).classNames(io.otprune.data.Datasets.FASHION_CLASSES)
                    .dataset(io.otprune.data.Datasets.FASHION_SMALL)
                    .normalization(new io.otprune.data.Normalization(0.286, 0.353)).build(), false);
        }
        robot.interact(() -> vm().loadModel(dir));
        waitFor(60, () -> vm().model.get() != null && vm().model.get().info().name().equals("mobilenet-style"));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.TableView<?> layers = robot.lookup("#layers").queryAs(javafx.scene.control.TableView.class);
        assertThat(layers.getItems()).hasSize(13);
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<String> hist = robot.lookup("#histLayer").queryAs(javafx.scene.control.ComboBox.class);
        assertThat(hist.getItems()).contains("b1.dw", "b3.conv2", "fc2").hasSize(13);
        robot.interact(() -> vm().granularity.set(io.otprune.prune.PruneConfig.Granularity.STRUCTURED));
        waitFor(20, () -> hist.getItems().contains("b1.expand (+1 coupled)"));
        assertThat(hist.getItems()).containsExactly("stem (+1 coupled)", "b1.expand (+1 coupled)", "b1.se.fc1",
                "b2.left", "b2.right", "fc1");
        waitFor(20, () -> robot.lookup("#preview").queryAs(Label.class).getText().contains("channels"));
        io.otprune.util.Files2.deleteRecursively(dir.getParent());
    }

    @Test
    void aCorruptModelShowsAnErrorAndKeepsTheWindowUsable(FxRobot robot) throws Exception {
        loaded(robot);
        Path bad = Files.createTempDirectory("otprune-bad-model");
        Files.writeString(bad.resolve("model.json"), "{ not json");
        robot.interact(() -> vm().loadModel(bad));
        waitFor(90, () -> vm().error.get().contains("Cannot open model")); // queued behind the data preload
        assertThat(vm().error.get()).contains("model.json");
        assertThat(vm().model.get().info().name()).isEqualTo("lenet5"); // the old model stays
        robot.lookup(".dialog-pane .button").queryAll().forEach(b -> robot.interact(() -> ((Button) b).fire()));
        assertThat(robot.lookup("#start").queryAs(Button.class).isDisabled()).isFalse();
    }

    @Test
    void aShortRunFillsTheChartsAndEndsWithTheExactSparsity(FxRobot robot) throws Exception {
        loaded(robot);
        Path mlp = Path.of(System.getProperty("otprune.samples")).resolve("mlp-300-100-fmnist");
        robot.interact(() -> vm().loadModel(mlp));
        waitFor(60, () -> vm().model.get() != null && vm().model.get().info().name().equals("mlp-300-100"));
        robot.interact(() -> {
            vm().sparsity.set(0.9);
            vm().pruneEpochs.set(1);
            vm().finetuneEpochs.set(1);
        });
        robot.clickOn("#start");
        // while it runs, nothing can swap the model or the data under it or change its settings
        for (String id : new String[] {"#openModel", "#openOnnx", "#openData", "#dataPicker", "#sparsitySlider",
                "#sparsityField"}) {
            assertThat(robot.lookup(id).queryAs(javafx.scene.control.Control.class).isDisabled()).as(id).isTrue();
        }
        waitFor(300, () -> !vm().running.get() && vm().summary.get() != null);
        WaitForAsyncUtils.waitForFxEvents(); // the result card is filled on the FX thread
        assertThat(vm().summary.get().achievedSparsity()).isEqualTo(0.9, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(vm().trainLoss).isNotEmpty();
        assertThat(vm().sharpness).isNotEmpty();
        assertThat(vm().epsilon).isNotEmpty();
        assertThat(robot.lookup("#summary").queryAs(Label.class).getText()).contains("achieved 0.900000");

        // confusion matrices of the dense and the pruned model: every test image counted once, diagonals = accuracies
        robot.clickOn("Confusion");
        WaitForAsyncUtils.waitForFxEvents();
        double[] accuracies = {vm().summary.get().denseAccuracy(), vm().summary.get().finalAccuracy()};
        String[] matrices = {"#denseConfusion", "#prunedConfusion"};
        for (int k = 0; k < 2; k++) {
            long total = 0, diagonal = 0;
            for (javafx.scene.Node n : robot.lookup(matrices[k] + " .confusion-cell").queryAll()) {
                int[] cell = (int[]) n.getUserData(); // true class, predicted class, count
                int shown = Integer.parseInt(((Label) n).getText());
                assertThat(shown).isEqualTo(cell[2]);
                total += shown;
                diagonal += cell[0] == cell[1] ? shown : 0;
            }
            assertThat(total).isEqualTo(2000); // fashion-mnist-small's test split
            assertThat((double) diagonal / total).isCloseTo(accuracies[k], org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThat(robot.lookup("#confusionChanges").queryAs(Label.class).getText()).contains("Shirt")
                .contains("Ankle boot");
        // the charts were drawn from the events, by pulses the changes themselves asked for (nothing polls)
        waitFor(10, () -> app.pendingChartDraws() == 0);
        org.jfree.chart.fx.ChartViewer loss = robot.lookup("#lossChart").queryAs(org.jfree.chart.fx.ChartViewer.class);
        assertThat(loss.getChart().getXYPlot().getDataset().getItemCount(0)).isEqualTo(vm().trainLoss.size());
        assertThat(loss.getChart().isNotify()).isTrue();
        // a chart in a tab behind another waits to be drawn until its tab is shown (drawing it hidden made JavaFX
        // repaint the whole window)
        org.jfree.chart.JFreeChart entropy = robot.lookup("#entropyChart").queryAs(org.jfree.chart.fx.ChartViewer.class)
                .getChart();
        assertThat(entropy.isNotify()).isFalse();
        robot.clickOn("Entropy");
        waitFor(10, () -> entropy.isNotify() && app.pendingChartDraws() == 0);

        // mask view: the MLP's first layer as a 28x28 picture of its input pixels, hard after the run
        robot.clickOn("Mask");
        WaitForAsyncUtils.waitForFxEvents();
        MaskView mv = robot.lookup("#maskView").queryAs(MaskView.class);
        assertThat(mv.raster()).isNotNull();
        assertThat(mv.raster().layout()).isEqualTo(MaskRaster.Layout.PIXELS);
        assertThat(mv.raster().width()).isEqualTo(28);
        assertThat(robot.lookup("#maskCaption").queryAs(Label.class).getText()).contains("hard");
        robot.moveTo("#maskImage");
        waitFor(10, () -> robot.lookup("#maskHover").queryAs(Label.class).getText().startsWith("pixel"));

        // history: the finished run is listed and drawn on the comparison chart
        waitFor(20, () -> vm().history.stream().anyMatch(e -> e.dir().equals(vm().lastRunDir.get())));
        robot.clickOn("History");
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.TableView<?> history = robot.lookup("#history").queryAs(javafx.scene.control.TableView.class);
        assertThat(history.getItems()).isNotEmpty();
        org.jfree.chart.fx.ChartViewer cmp = robot.lookup("#comparisonChart").queryAs(org.jfree.chart.fx.ChartViewer.class);
        waitFor(10, () -> cmp.getChart().getXYPlot().getDataset().getSeriesCount() > 0);
        assertThat(cmp.getChart().getXYPlot().getDataset().getSeriesKey(0).toString()).contains("mlp-300-100-fmnist");
    }

    @Test
    void stopMidRunLeavesTheWindowUsable(FxRobot robot) throws Exception {
        loaded(robot);
        Path mlp = Path.of(System.getProperty("otprune.samples")).resolve("mlp-300-100-fmnist");
        robot.interact(() -> vm().loadModel(mlp));
        waitFor(60, () -> vm().model.get().info().name().equals("mlp-300-100"));
        robot.interact(() -> {
            vm().pruneEpochs.set(20);
            vm().finetuneEpochs.set(0);
        });
        robot.clickOn("#start");
        waitFor(60, () -> vm().progress.get() > 0);
        robot.clickOn("#stop");
        waitFor(60, () -> !vm().running.get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm().status.get()).contains("stopped");
        assertThat(robot.lookup("#start").queryAs(Button.class).isDisabled()).isFalse();
        assertThat(vm().runs().busy()).isFalse();
    }
}
