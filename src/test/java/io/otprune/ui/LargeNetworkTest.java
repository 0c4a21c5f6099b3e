package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.otprune.model.Graph;
import io.otprune.model.GraphBuilder;
import io.otprune.model.Ops;
import io.otprune.prune.PruneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.category.SlidingCategoryDataset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A network of 112 prunable layers in the window: every layer listed, charted and findable by a filter. */
@ExtendWith(ApplicationExtension.class)
class LargeNetworkTest {
    static final int BLOCKS = 18;
    /** stem, 3 stages of 18 blocks of 2 convs, 2 projection shortcuts, fc. */
    static final int LAYERS = 1 + 3 * BLOCKS * 2 + 2 + 1;
    static Path tmp;
    static Path model;
    WorkbenchApp app;

    /** A resnet110-like graph (CIFAR resnet with 18 blocks a stage), narrow, for 1×28×28 inputs. */
    static Graph resnet110Like() {
        GraphBuilder g = new GraphBuilder(1, 28, 28);
        String x = g.convBn("stem", Graph.INPUT, 4, 3, 1, 1, true);
        int[] widths = {4, 8, 16};
        for (int stage = 0; stage < 3; stage++) {
            for (int b = 0; b < BLOCKS; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                String name = "s" + (stage + 1) + ".b" + (b + 1);
                String y = g.convBn(name + ".conv1", x, widths[stage], 3, stride, 1, true);
                y = g.convBn(name + ".conv2", y, widths[stage], 3, 1, 1, false);
                String shortcut = stride != 1 ? g.convBn(name + ".shortcut", x, widths[stage], 1, stride, 0, false)
                        : x;
                x = g.relu(name + ".out", g.add(name + ".add", new Ops.Add(), y, shortcut));
            }
        }
        return g.build(g.linear("fc", g.flatten("flatten", g.globalAvgPool("gap", x)), 10, true));
    }

    @BeforeAll
    static void properties() throws Exception {
        tmp = Files.createTempDirectory("otprune-large");
        Path repo = Path.of(System.getProperty("otprune.repo", "."));
        System.setProperty("otprune.samples", repo.resolve("sample-models").toString());
        System.setProperty("otprune.runs", tmp.resolve("runs").toString());
        System.setProperty("otprune.noPrefs", "true");
        model = tmp.resolve("resnet110-like");
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu())) {
            io.otprune.model.Network n = new io.otprune.model.Network(resnet110Like());
            n.initialize(m);
            io.otprune.model.ModelStore.save(model, n, io.otprune.model.ModelInfo.builder().name("resnet110-like")
                    .network(n.graph()).classNames(io.otprune.data.Datasets.FASHION_CLASSES)
                    .dataset(io.otprune.data.Datasets.FASHION_SMALL)
                    .normalization(new io.otprune.data.Normalization(0.286, 0.353)).build(), false);
        }
    }

    @AfterAll
    static void cleanup() throws Exception {
        io.otprune.util.Files2.deleteRecursively(tmp);
    }

    @Start
    void start(Stage stage) {
        app = new WorkbenchApp();
        app.start(stage);
    }

    private WorkbenchViewModel vm() {
        return app.viewModel();
    }

    private static void waitFor(int seconds, java.util.concurrent.Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, c);
    }

    private void openLargeModel(FxRobot robot) throws Exception {
        waitFor(60, () -> vm().model.get() != null);
        robot.interact(() -> vm().loadModel(model));
        waitFor(60, () -> vm().model.get() != null && vm().model.get().info().name().equals("resnet110-like")
                && vm().preview.get() != null && vm().preview.get().layers().size() == LAYERS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void everyLayerIsListedChartedAndFoundByTheFilters(FxRobot robot) throws Exception {
        openLargeModel(robot);
        // the table lists all layers in the network's order; its filter keeps one block's two convs
        TableView<?> table = robot.lookup("#layers").queryAs(TableView.class);
        assertThat(table.getItems()).hasSize(LAYERS);
        assertThat(((ModelPreview.LayerRow) table.getItems().get(0)).name()).isEqualTo("stem");
        assertThat(((ModelPreview.LayerRow) table.getItems().get(LAYERS - 1)).name()).isEqualTo("fc");
        robot.clickOn("Layers");
        robot.clickOn("#layersFilter").write("s2.b7.");
        waitFor(10, () -> table.getItems().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.getItems()).extracting(r -> ((ModelPreview.LayerRow) r).name())
                .containsExactly("s2.b7.conv1", "s2.b7.conv2");
        assertThat(robot.lookup("#layersCount").queryAs(Label.class).getText()).isEqualTo("2 of " + LAYERS + " layers");

        // the kept-per-layer chart has a bar row for every layer; as many as fit are shown, the bar scrolls the rest
        ChartViewer chart = robot.lookup("#layerChart").queryAs(ChartViewer.class);
        SlidingCategoryDataset shown = (SlidingCategoryDataset) chart.getChart().getCategoryPlot().getDataset();
        List<String> charted = shown.getUnderlyingDataset().getColumnKeys().stream().map(Object::toString).toList();
        assertThat(charted).hasSize(LAYERS).contains("stem", "s1.b1.conv1", "s3.b18.conv2", "s2.b1.shortcut", "fc");
        ScrollBar bar = robot.lookup("#layerChartScroll").queryAs(ScrollBar.class);
        assertThat(bar.isVisible()).isTrue();
        int rows = shown.getColumnCount();
        assertThat(rows).isBetween(1, LAYERS - 1);
        assertThat(bar.getMax()).isEqualTo(LAYERS - rows);
        assertThat(shown.getColumnKey(0)).isEqualTo("stem");
        robot.interact(() -> bar.setValue(bar.getMax()));
        assertThat(shown.getColumnKeys()).hasSize(rows).last().isEqualTo("fc");
        assertThat(shown.getColumnKeys()).containsExactlyElementsOf(charted.subList(LAYERS - rows, LAYERS));

        // the layer picker holds every layer; its filter narrows it and selects the first match for the views
        @SuppressWarnings("unchecked")
        ComboBox<String> picker = robot.lookup("#histLayer").queryAs(ComboBox.class);
        assertThat(picker.getItems()).hasSize(LAYERS);
        javafx.scene.control.TextField layerFilter = robot.lookup("#layerFilter")
                .queryAs(javafx.scene.control.TextField.class);
        robot.interact(() -> layerFilter.setText("S3.B18")); // any case
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(picker.getItems()).containsExactly("s3.b18.conv1", "s3.b18.conv2");
        assertThat(vm().selectedLayer.get()).isEqualTo("s3.b18.conv1");
        assertThat(picker.getValue()).isEqualTo("s3.b18.conv1");
        assertThat(robot.lookup("#layerCount").queryAs(Label.class).getText()).isEqualTo("2 of " + LAYERS);
        robot.interact(() -> picker.setValue("s3.b18.conv2"));
        assertThat(vm().selectedLayer.get()).isEqualTo("s3.b18.conv2");
        // a layer chosen elsewhere (as the graph view does) moves the picker
        robot.interact(() -> vm().selectLayer("s3.b18.conv1"));
        assertThat(picker.getValue()).isEqualTo("s3.b18.conv1");
        robot.interact(layerFilter::clear);
        assertThat(picker.getItems()).hasSize(LAYERS);
        assertThat(vm().selectedLayer.get()).isEqualTo("s3.b18.conv1");
    }

    @Test
    void channelGroupsAreListedWithTheirMemberLayers(FxRobot robot) throws Exception {
        openLargeModel(robot);
        robot.clickOn("Channel groups");
        WaitForAsyncUtils.waitForFxEvents();
        @SuppressWarnings("unchecked")
        TableView<ModelPreview.ChannelGroup> groups = robot.lookup("#channelGroups").queryAs(TableView.class);
        // one group a stage (its blocks' outputs are added together) and each block's inner conv1 on its own
        assertThat(groups.getItems()).hasSize(3 + 3 * BLOCKS);
        ModelPreview.ChannelGroup stage2 = groups.getItems().stream().filter(g -> g.layers().contains("s2.b7.conv2")).findFirst().orElseThrow();
        List<String> expected = new java.util.ArrayList<>(List.of("s2.b1.conv2", "s2.b1.shortcut"));
        IntStream.rangeClosed(2, BLOCKS).forEach(b -> expected.add("s2.b" + b + ".conv2"));
        assertThat(stage2.layers()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(stage2.channels()).isEqualTo(8);
        assertThat(stage2.name()).endsWith("(+" + BLOCKS + " coupled)");
        javafx.scene.control.TextField groupsFilter = robot.lookup("#groupsFilter")
                .queryAs(javafx.scene.control.TextField.class);
        robot.interact(() -> groupsFilter.setText("s2.b7.conv2"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(groups.getItems()).containsExactly(stage2);
        assertThat(robot.lookup("#groupsCount").queryAs(Label.class).getText())
                .isEqualTo("1 of " + (3 + 3 * BLOCKS) + " groups");

        // the layers table names each layer's group; structured, a layer selects its group in the layer views
        TableView<?> layers = robot.lookup("#layers").queryAs(TableView.class);
        @SuppressWarnings("unchecked")
        TableView<ModelPreview.LayerRow> rows = (TableView<ModelPreview.LayerRow>) layers;
        ModelPreview.LayerRow conv2 = rows.getItems().stream().filter(r -> r.name().equals("s2.b7.conv2")).findFirst()
                .orElseThrow();
        assertThat(rows.getColumns().get(6).getCellObservableValue(conv2).getValue()).isEqualTo(stage2.name());
        robot.interact(() -> vm().granularity.set(PruneConfig.Granularity.STRUCTURED));
        waitFor(20, () -> vm().layerSets.size() == 3 + 3 * BLOCKS);
        robot.interact(() -> vm().selectLayer("s2.b7.conv2"));
        assertThat(vm().selectedLayer.get()).isEqualTo(stage2.name());
        assertThat(robot.lookup("#histLayer").queryAs(ComboBox.class).getValue()).isEqualTo(stage2.name());
        // choosing a group's row shows it in the layer views
        robot.interact(groupsFilter::clear);
        robot.interact(() -> groups.getSelectionModel().select(0));
        assertThat(vm().selectedLayer.get()).isEqualTo("stem (+" + BLOCKS + " coupled)");
    }
}
