package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.otprune.run.ResumeTest;
import io.otprune.util.Json;
import io.otprune.util.LiveArrays;
import io.otprune.util.ProcessMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A benchmark, not a test (its name keeps it out of the suite): one window session, headless, driven through its
 * buttons: {@code cycles} Start/Stop cycles (Stop after the run's first training step), then {@code runs} complete
 * runs; resident memory and live NDArrays are sampled between runs and written as JSON. Run alone:
 * <pre>mvn -B -o test -Dtest=WindowSoakBench -Dotprune.soak=docs/results/window-soak.json
 *     [-Dotprune.soak.cycles=100 -Dotprune.soak.runs=20]</pre>
 * It fails only when the window stops working (a Stop is not honoured, the first run fails); a later run that ends
 * without a summary is recorded with the window's status and the soak goes on. The figures are for reading.
 */
@EnabledIfSystemProperty(named = "otprune.soak", matches = ".+")
@ExtendWith(ApplicationExtension.class)
class WindowSoakBench {
    WorkbenchApp app;
    Path runs;

    @Start
    void start(Stage stage) throws Exception {
        runs = Files.createTempDirectory("otprune-soak");
        Path repo = Path.of(System.getProperty("otprune.repo", "."));
        System.setProperty("otprune.samples", repo.resolve("sample-models").toString());
        System.setProperty("otprune.runs", runs.resolve("runs").toString());
        System.setProperty("otprune.noPrefs", "true");
        app = new WorkbenchApp();
        app.start(stage);
    }

    private static void waitFor(int seconds, java.util.concurrent.Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, c);
    }

    private Map<String, Object> sample(String phase, int i, long t0) {
        System.gc();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("phase", phase);
        s.put("i", i);
        s.put("seconds", (System.nanoTime() - t0) / 1e9);
        s.put("rssMiB", Math.round(ProcessMemory.rssMiB() * 10) / 10.0);
        s.put("liveNDArrays", LiveArrays.count());
        s.put("javaHeapUsedMiB", Math.round((Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())
                / 1048576.0 * 10) / 10.0);
        System.out.println("soak " + s);
        return s;
    }

    @Test
    void startStopCyclesThenCompleteRuns(FxRobot robot) throws Exception {
        int cycles = Integer.getInteger("otprune.soak.cycles", 100);
        int complete = Integer.getInteger("otprune.soak.runs", 20);
        WorkbenchViewModel vm = app.viewModel();
        waitFor(120, () -> vm.model.get() != null && !vm.previewText.get().isEmpty());
        Path data = ResumeTest.tinyData(runs.resolve("data"));
        robot.interact(() -> vm.openData(data));
        waitFor(120, () -> vm.dataId.get().equals(data.toAbsolutePath().normalize().toString()));
        robot.interact(() -> {
            vm.pruneEpochs.set(1);
            vm.finetuneEpochs.set(1);
        });
        List<Map<String, Object>> samples = new ArrayList<>();
        long t0 = System.nanoTime();
        // one complete run first, so that everything loaded once (engine, data, chart classes) is in the baseline
        assertThat(completeRun(robot, vm)).isNull();
        samples.add(sample("baseline", 0, t0));
        for (int c = 1; c <= cycles; c++) {
            robot.clickOn("#start");
            waitFor(120, () -> vm.running.get() && vm.progress.get() > 0);
            robot.clickOn("#stop");
            waitFor(120, () -> !vm.running.get());
            assertThat(vm.error.get()).as("cycle " + c).isEmpty();
            if (c % 10 == 0) {
                samples.add(sample("start-stop", c, t0));
            }
        }
        List<String> problems = new ArrayList<>();
        for (int r = 1; r <= complete; r++) {
            String outcome = completeRun(robot, vm);
            if (outcome != null) {
                problems.add("run " + r + ": " + outcome); // noted and counted, the soak goes on
            }
            samples.add(sample("complete", r, t0));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cycles", cycles);
        out.put("completeRuns", complete);
        out.put("model", vm.modelDir.get().getFileName().toString());
        out.put("data", "1,500 training and 300 test images of fashion-mnist-small (IDX)");
        out.put("epochs", "1 prune + 1 fine-tune");
        out.put("samples", samples);
        out.put("runsWithoutSummary", problems);
        Path file = Path.of(System.getProperty("otprune.soak"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, Json.PRETTY.toJson(out));
        io.otprune.util.Files2.deleteRecursively(runs);
    }

    /** One run from Start to its end; null when it ended with a summary, else what the window said. */
    private static String completeRun(FxRobot robot, WorkbenchViewModel vm) throws Exception {
        robot.clickOn("#start");
        waitFor(60, () -> vm.running.get());
        waitFor(600, () -> !vm.running.get());
        WaitForAsyncUtils.waitForFxEvents();
        return vm.summary.get() != null ? null : "status '" + vm.status.get() + "', error '" + vm.error.get() + "'";
    }
}
