package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.otprune.model.Graph;
import io.otprune.model.Node;
import io.otprune.prune.NodeUnits;
import io.otprune.prune.PruneConfig;
import io.otprune.train.RunEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.geometry.VerticalDirection;
import javafx.scene.input.MouseButton;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The graph view on its own (headless, Monocle): drawn, hovered, clicked and recoloured by run events. */
@ExtendWith(ApplicationExtension.class)
class GraphViewTest {
    static final Path SAMPLES = Path.of(System.getProperty("otprune.repo", ".")).resolve("sample-models");
    Path runs;
    WorkbenchViewModel vm;
    GraphView view;

    @Start
    void start(Stage stage) throws Exception {
        runs = Files.createTempDirectory("otprune-graph-view");
        vm = new WorkbenchViewModel(Platform::runLater, SAMPLES, runs);
        view = new GraphView(vm);
        stage.setScene(new Scene(view, 1200, 800));
        stage.show();
    }

    @AfterEach
    void close() throws Exception {
        vm.close();
        io.otprune.util.Files2.deleteRecursively(runs);
    }

    private Graph open(FxRobot robot, String model) throws Exception {
        robot.interact(() -> vm.loadModel(SAMPLES.resolve(model)));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.model.get() != null
                && vm.model.get().dir().endsWith(model) && vm.preview.get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        return vm.model.get().info().graph();
    }

    private static List<String> names(Graph g) {
        List<String> out = new ArrayList<>(List.of(Graph.INPUT));
        g.nodes().stream().map(Node::name).forEach(out::add);
        return out;
    }

    @Test
    void drawsEveryNodeOfLenet5AndOfA73NodeResnet(FxRobot robot) throws Exception {
        Graph lenet = open(robot, "lenet5-fmnist");
        assertThat(view.drawnNodes()).containsExactlyElementsOf(names(lenet));
        Graph resnet = open(robot, "resnet20-fmnist");
        assertThat(resnet.nodes()).hasSizeGreaterThan(60);
        assertThat(view.drawnNodes()).containsExactlyElementsOf(names(resnet));
        // fitted: the deep network is cut into bands side by side
        assertThat(view.graphLayout().bands()).isGreaterThan(1);
        // zoomed in, boxes out of view are not drawn; Fit shows them all again
        for (int i = 0; i < 6; i++) {
            robot.clickOn("#graphZoomIn");
        }
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.drawnNodes()).hasSizeLessThan(resnet.nodes().size());
        robot.clickOn("#graphFit");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.drawnNodes()).hasSize(resnet.nodes().size() + 1);
    }

    @Test
    void hoveringANodeHighlightsItsWholeChannelGroup(FxRobot robot) throws Exception {
        open(robot, "resnet20-fmnist");
        NodeUnits.Group group = vm.model.get().nodeUnits().group("s1.b2.conv2");
        // the additions tie the stem's channels to every block of the first stage
        assertThat(group.members()).contains("stem", "stem.bn", "s1.b1.add", "s1.b3.out", "s1.b2.conv2.bn")
                .hasSizeGreaterThan(10);
        robot.moveTo(view.screenPoint("s1.b2.conv2"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.highlightedNodes()).containsExactlyInAnyOrderElementsOf(group.members());
        assertThat(robot.lookup("#graphInfo").queryLabeled().getText()).contains("s1.b2.conv2")
                .contains("channel group stem");
        robot.moveTo(view.screenPoint("s1.b2.conv1"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.highlightedNodes()).contains("s1.b2.conv1", "s1.b2.conv1.bn", "s1.b2.conv1.relu")
                .doesNotContain("stem");
    }

    @Test
    void clickingANodeSelectsItsUnitSet(FxRobot robot) throws Exception {
        open(robot, "lenet5-fmnist");
        robot.clickOn(view.screenPoint("conv2"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.selectedLayer.get()).isEqualTo("conv2");
        assertThat(view.selectedNodes()).containsExactly("conv2");
        // structured: a node of a channel group selects the group, and outlines all its nodes
        robot.interact(() -> vm.granularity.set(PruneConfig.Granularity.STRUCTURED));
        robot.clickOn(view.screenPoint("conv1.relu"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.selectedLayer.get()).isEqualTo("conv1");
        assertThat(view.selectedNodes()).contains("conv1", "conv1.relu", "pool1");
        // another view choosing a layer outlines it here
        robot.interact(() -> vm.selectedLayer.set("fc1"));
        assertThat(view.selectedNodes()).contains("fc1", "fc1.relu").doesNotContain("conv1");
    }

    @Test
    void aPruneEventRecoloursTheNodesByTheirKeptFraction(FxRobot robot) throws Exception {
        open(robot, "lenet5-fmnist");
        // before a run: the preview's selection (magnitudes at 90%)
        assertThat(robot.lookup("#graphSource").queryLabeled().getText()).contains("preview");
        javafx.scene.paint.Color before = view.fillOf("conv1");
        assertThat(before).isNotEqualTo(GraphView.NO_UNIT);
        assertThat(view.fillOf("pool1")).isEqualTo(GraphView.NO_UNIT);
        int draws = view.draws();
        robot.interact(() -> {
            vm.post(new RunEvent.Prune("prune", 10, 100, 0.5, 0.9, 0.99, 0.2, 0.1, List.of(0.1),
                    List.of("conv1", "conv2", "fc1", "fc2"), List.of(0.5, 0.4, 0.1, 0.9),
                    List.of(0.05, 0.4, 0.1, 1.0)));
            vm.drain();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.fillOf("conv1")).isEqualTo(GraphView.keptColor(0.05)).isNotEqualTo(before);
        assertThat(view.fillOf("fc2")).isEqualTo(GraphView.keptColor(1.0));
        assertThat(robot.lookup("#graphSource").queryLabeled().getText()).contains("run");
        assertThat(view.draws()).isEqualTo(draws + 1);
        // only the recoloured boxes were drawn again, and the canvas shows what a full draw shows
        assertThat(view.boxesInLastDraw()).isPositive().isLessThan(view.drawnNodes().size());
        int[] partial = canvasPixels(robot);
        robot.interact(view::redrawAll);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.boxesInLastDraw()).isEqualTo(view.drawnNodes().size());
        assertThat(differingPixels(partial, canvasPixels(robot))).isLessThan(partial.length / 1000);
        draws = view.draws();
        // the same kept fractions again: nothing to draw
        robot.interact(() -> {
            vm.post(new RunEvent.Prune("prune", 20, 100, 0.4, 0.95, 0.99, 0.15, 0.1, List.of(0.1),
                    List.of("conv1", "conv2", "fc1", "fc2"), List.of(0.4, 0.4, 0.1, 0.9),
                    List.of(0.05, 0.4, 0.1, 1.0)));
            vm.drain();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.draws()).isEqualTo(draws);
    }

    private int[] canvasPixels(FxRobot robot) {
        javafx.scene.canvas.Canvas c = robot.lookup("#graphCanvas").queryAs(javafx.scene.canvas.Canvas.class);
        int[][] out = new int[1][];
        robot.interact(() -> {
            javafx.scene.image.WritableImage img = c.snapshot(null, null);
            int w = (int) img.getWidth(), h = (int) img.getHeight();
            out[0] = new int[w * h];
            img.getPixelReader().getPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), out[0], 0, w);
        });
        return out[0];
    }

    /** Pixels whose colour differs by more than a little antialiasing (any channel by more than 24 of 255). */
    private static int differingPixels(int[] a, int[] b) {
        assertThat(a).hasSameSizeAs(b);
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift < 32; shift += 8) {
                if (Math.abs(((a[i] >> shift) & 0xff) - ((b[i] >> shift) & 0xff)) > 24) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    @Test
    void removedResidualBlocksAreGrey(FxRobot robot) throws Exception {
        open(robot, "resnet20-fmnist");
        robot.interact(() -> vm.granularity.set(PruneConfig.Granularity.DEPTH));
        float[] keep = {1, 0, 1, 1, 0, 1, 1, 1, 1};
        robot.interact(() -> {
            vm.post(new RunEvent.Mask(100, "blocks", new long[] {9}, keep, true));
            vm.drain();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.fillOf("s1.b2.conv1")).isEqualTo(GraphView.REMOVED);
        assertThat(view.fillOf("s2.b2.conv2.bn")).isEqualTo(GraphView.REMOVED);
        assertThat(view.fillOf("s1.b1.conv1")).isEqualTo(GraphView.keptColor(1));
        assertThat(view.fillOf("s1.b2.add")).isEqualTo(GraphView.NO_UNIT); // the shortcut and the addition stay
        assertThat(robot.lookup("#graphSource").queryLabeled().getText()).contains("blocks removed");
    }

    @Test
    void dragPansAndTheWheelZoomsAboutThePointer(FxRobot robot) throws Exception {
        open(robot, "lenet5-fmnist");
        Point2D conv1 = view.screenPoint("conv1"), conv2 = view.screenPoint("conv2");
        robot.interact(() -> vm.selectedLayer.set("fc2")); // the model's first set (conv1) is selected on loading
        robot.drag(conv1, MouseButton.PRIMARY).moveBy(60, 40).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.screenPoint("conv1").getX()).isCloseTo(conv1.getX() + 60, within(1.0));
        assertThat(view.screenPoint("conv1").getY()).isCloseTo(conv1.getY() + 40, within(1.0));
        assertThat(vm.selectedLayer.get()).isEqualTo("fc2"); // a drag is not a click
        Point2D c1 = view.screenPoint("conv1");
        double gap = view.screenPoint("conv2").distance(c1);
        robot.moveTo(c1).scroll(3, VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();
        // the node under the pointer stays there, the others move away from it
        assertThat(view.screenPoint("conv1").distance(c1)).isLessThan(2);
        assertThat(view.screenPoint("conv2").distance(view.screenPoint("conv1"))).isNotCloseTo(gap, within(1.0));
        robot.clickOn("#graphFit");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.screenPoint("conv2").distance(conv2)).isLessThan(1);
    }

    @Test
    void aHiddenViewDrawsNothingUntilItsTabIsShown(FxRobot robot) throws Exception {
        open(robot, "lenet5-fmnist");
        javafx.scene.control.TabPane tabs = new javafx.scene.control.TabPane(
                new javafx.scene.control.Tab("Graph"),
                new javafx.scene.control.Tab("Other", new javafx.scene.control.Label("x")));
        robot.interact(() -> {
            view.getScene().setRoot(tabs);
            tabs.getTabs().get(0).setContent(view);
        });
        robot.interact(() -> tabs.getSelectionModel().select(1));
        WaitForAsyncUtils.waitForFxEvents();
        int draws = view.draws();
        robot.interact(() -> {
            vm.post(new RunEvent.Prune("prune", 10, 100, 0.5, 0.9, 0.99, 0.2, 0.1, List.of(0.1),
                    List.of("conv1", "conv2", "fc1", "fc2"), List.of(0.5, 0.4, 0.1, 0.9),
                    List.of(0.05, 0.4, 0.1, 1.0)));
            vm.drain();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.draws()).isEqualTo(draws);
        robot.interact(() -> tabs.getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.draws()).isEqualTo(draws + 1);
        assertThat(view.fillOf("conv1")).isEqualTo(GraphView.keptColor(0.05));
    }
}
