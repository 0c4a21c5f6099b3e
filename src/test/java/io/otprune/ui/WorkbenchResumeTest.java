package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.otprune.prune.PruneConfig;
import io.otprune.run.PruneRun;
import io.otprune.run.PruneRunConfig;
import io.otprune.run.ResumeTest;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** History lists an interrupted run as such, and its Resume button finishes it in its own folder. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchResumeTest {
    static Path runs;
    static Path cut;
    WorkbenchApp app;

    /** A run stopped right after its first epoch's checkpoint, in the window's runs folder. */
    @BeforeAll
    static void interruptedRun() throws Exception {
        runs = Files.createTempDirectory("otprune-ui-resume");
        Path repo = Path.of(System.getProperty("otprune.repo", "."));
        System.setProperty("otprune.samples", repo.resolve("sample-models").toString());
        System.setProperty("otprune.runs", runs.resolve("runs").toString());
        System.setProperty("otprune.noPrefs", "true");
        Path data = ResumeTest.tinyData(runs.resolve("data"));
        PruneRunConfig cfg = PruneRunConfig.builder()
                .model(repo.resolve("sample-models/mlp-300-100-fmnist").toAbsolutePath().toString())
                .data(data.toString()).prune(PruneConfig.builder().sparsity(0.9).build()).pruneEpochs(2)
                .finetuneEpochs(1).device("cpu").build();
        cut = runs.resolve("runs").resolve("cut-run");
        RunControl control = new RunControl();
        try {
            PruneRun.execute(cfg, cut, false, e -> {
                if (e instanceof RunEvent.Epoch) {
                    control.cancel();
                }
            }, control);
        } catch (RunCancelledException expected) {
            // stopped after the first epoch's checkpoint
        }
        assertThat(cut.resolve("summary.json")).doesNotExist();
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

    @Test
    void anInterruptedRunIsListedAsSuchAndResumeFinishesIt(FxRobot robot) throws Exception {
        WorkbenchViewModel vm = app.viewModel();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !vm.interrupted.isEmpty());
        assertThat(vm.history).isEmpty();
        robot.clickOn("History");
        WaitForAsyncUtils.waitForFxEvents();
        ListView<?> list = robot.lookup("#interrupted").queryAs(ListView.class);
        assertThat(list.getItems()).hasSize(1);
        assertThat(vm.interrupted.get(0).progress()).isEqualTo("prune epoch 1 of 2");
        Button resume = robot.lookup("#historyResume").queryAs(Button.class);
        assertThat(resume.isDisabled()).isTrue();
        robot.interact(() -> list.getSelectionModel().select(0));
        assertThat(resume.isDisabled()).isFalse();
        robot.clickOn("#historyResume");
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> !vm.running.get() && vm.summary.get() != null);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.interrupted.isEmpty() && vm.history.size() == 1);
        assertThat(vm.history.get(0).dir()).isEqualTo(cut);
        assertThat(vm.summary.get().achievedSparsity()).isEqualTo(0.9, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(cut.resolve("checkpoint")).doesNotExist();
    }
}
