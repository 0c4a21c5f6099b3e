package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.otprune.prune.PruneConfig;
import io.otprune.run.MaskComparison;
import io.otprune.run.PruneRun;
import io.otprune.run.PruneRunConfig;
import io.otprune.run.RunHistory;
import io.otprune.run.RunMasks;
import io.otprune.train.RunControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
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

/** The mask comparison pane on its own (headless, Monocle), on two real one-shot runs of lenet5. */
@ExtendWith(ApplicationExtension.class)
class MaskComparisonPaneTest {
    static Path tmp;
    static Path runs;
    WorkbenchViewModel vm;
    MaskComparisonPane pane;

    @BeforeAll
    static void twoRuns() throws Exception {
        tmp = Files.createTempDirectory("otprune-compare-pane");
        runs = tmp.resolve("runs");
        Path model = Path.of(System.getProperty("otprune.repo", ".")).resolve("sample-models/lenet5-fmnist")
                .toAbsolutePath();
        for (PruneConfig.Method m : List.of(PruneConfig.Method.MAGNITUDE, PruneConfig.Method.RANDOM)) {
            PruneRunConfig cfg = PruneRunConfig.builder().model(model.toString()).data("fashion-mnist-small")
                    .prune(PruneConfig.defaults(m, PruneConfig.Granularity.UNSTRUCTURED, 0.9)).pruneEpochs(0)
                    .finetuneEpochs(0).device("cpu").build();
            PruneRun.execute(cfg, runs.resolve(PruneConfig.word(m)), false, e -> {}, new RunControl());
        }
    }

    @AfterAll
    static void cleanup() throws Exception {
        io.otprune.util.Files2.deleteRecursively(tmp);
    }

    @Start
    void start(Stage stage) {
        vm = new WorkbenchViewModel(Platform::runLater, tmp.resolve("no-samples"), runs);
        pane = new MaskComparisonPane(vm);
        stage.setScene(new Scene(pane, 1000, 600));
        stage.show();
    }

    @Stop
    void stop() {
        vm.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void comparesTwoRunsFromHistoryPerLayerAndDrawsTheFourKinds(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.history.size() == 2);
        ComboBox<RunHistory.Entry> a = robot.lookup("#compareRunA").queryAs(ComboBox.class);
        ComboBox<RunHistory.Entry> b = robot.lookup("#compareRunB").queryAs(ComboBox.class);
        assertThat(a.getItems()).hasSize(2);
        RunHistory.Entry magnitude = vm.history.stream().filter(e -> e.dir().endsWith("magnitude")).findFirst()
                .orElseThrow();
        RunHistory.Entry random = vm.history.stream().filter(e -> e.dir().endsWith("random")).findFirst()
                .orElseThrow();
        robot.interact(() -> {
            a.setValue(magnitude);
            b.setValue(random);
        });
        robot.clickOn("#compareButton");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> pane.comparison().get() != null);
        WaitForAsyncUtils.waitForFxEvents();

        MaskComparison expected = MaskComparison.of(magnitude.dir(), random.dir());
        TableView<MaskComparison.Layer> table = robot.lookup("#compareTable").queryAs(TableView.class);
        assertThat(table.getItems()).extracting(MaskComparison.Layer::set)
                .containsExactly("conv1", "conv2", "fc1", "fc2");
        for (int j = 0; j < 4; j++) {
            MaskComparison.Layer l = table.getItems().get(j);
            assertThat(l.jaccard()).isEqualTo(expected.layers().get(j).jaccard());
            // magnitude and random keep different weights: far from identical, not disjoint
            assertThat(l.jaccard()).isStrictlyBetween(0.0, 1.0);
            assertThat(table.getColumns().get(2).getCellData(j))
                    .isEqualTo(String.format(Locale.ROOT, "%.4f", l.jaccard()));
        }
        assertThat(robot.lookup("#compareMessage").queryAs(Label.class).getText()).contains("unstructured")
                .contains("lenet5-fmnist");

        // the first layer is drawn: one pixel per weight in its colour, gaps in the background colour
        Image img = robot.lookup("#compareImage").queryAs(ImageView.class).getImage();
        MaskComparison.Layer conv1 = table.getItems().get(0);
        int both = 0, onlyA = 0, onlyB = 0, neither = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getPixelReader().getArgb(x, y);
                both += c == MaskComparisonPane.BOTH ? 1 : 0;
                onlyA += c == MaskComparisonPane.ONLY_A ? 1 : 0;
                onlyB += c == MaskComparisonPane.ONLY_B ? 1 : 0;
                neither += c == MaskComparisonPane.NEITHER ? 1 : 0;
            }
        }
        assertThat(new int[] {both, onlyA, onlyB, neither})
                .containsExactly(conv1.both(), conv1.onlyA(), conv1.onlyB(), conv1.neither());
        assertThat(robot.lookup("#compareCaption").queryAs(Label.class).getText()).startsWith("conv1");

        // a run of another granularity is refused in one line
        Path other = Files.createDirectories(tmp.resolve("structured"));
        RunMasks m = RunMasks.read(magnitude.dir());
        new RunMasks(m.model(), m.modelSha256(), "structured", m.sets()).write(other);
        robot.interact(() -> pane.compare(magnitude.dir(), other));
        Label message = robot.lookup("#compareMessage").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> message.getText().contains("different granularities"));
        assertThat(table.getItems()).isEmpty();
    }
}
