package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.otprune.prune.PruneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view-model without a toolkit: callbacks run on the helper and worker threads directly. */
class WorkbenchViewModelTest {
    @TempDir
    Path runs;
    WorkbenchViewModel vm;
    static final Path SAMPLES = Path.of(System.getProperty("otprune.repo", ".")).resolve("sample-models");

    @BeforeEach
    void create() {
        vm = new WorkbenchViewModel(Runnable::run, SAMPLES, runs);
    }

    @AfterEach
    void close() {
        vm.close();
    }

    static void await(int seconds, Callable<Boolean> c) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!c.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met in " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Loads a model and waits until the load has finished: the helper thread sets the model and then, in the same
     * callback, the layer sets, the data and "ready" (a test that went on at the model alone raced the rest).
     */
    void load(Path dir) throws Exception {
        vm.loadModel(dir);
        await(60, () -> "ready".equals(vm.status.get()) && vm.model.get() != null);
        assertThat(vm.error.get()).isEmpty();
    }

    @Test
    void listsSampleModelsAndPreviewsSettings() throws Exception {
        assertThat(vm.sampleModels).extracting(p -> p.getFileName().toString())
                .contains("lenet5-fmnist", "resnet20-fmnist");
        assertThat(vm.defaultModel().getFileName().toString()).isEqualTo("lenet5-fmnist");
        vm.loadModel(vm.defaultModel());
        await(60, () -> vm.preview.get() != null);
        // 90% of lenet5's 430,500 weights: exactly 43,050 kept
        assertThat(vm.preview.get().unitsKept()).isEqualTo(43_050);
        vm.sparsity.set(0.5);
        await(30, () -> vm.preview.get().unitsKept() == 215_250);
        vm.granularity.set(PruneConfig.Granularity.STRUCTURED);
        await(30, () -> vm.previewText.get().contains("channels"));
        assertThat(vm.preview.get().units()).isEqualTo(20 + 50 + 500);
    }

    /** The one selected layer of the layer views: the first set at first, a layer's own set when a view picks it. */
    @Test
    void theSelectedLayerFollowsTheModelAndGranularityAndMapsALayerToItsSet() throws Exception {
        load(SAMPLES.resolve("resnet20-fmnist"));
        assertThat(vm.layerSets).hasSize(vm.model.get().layers().size()).startsWith("stem");
        assertThat(vm.selectedLayer.get()).isEqualTo("stem");
        vm.selectLayer("s2.b3.conv2");
        assertThat(vm.selectedLayer.get()).isEqualTo("s2.b3.conv2");
        vm.granularity.set(PruneConfig.Granularity.STRUCTURED);
        assertThat(vm.layerSets).isEqualTo(vm.model.get().setNames(PruneConfig.Granularity.STRUCTURED));
        assertThat(vm.selectedLayer.get()).isEqualTo(vm.layerSets.get(0));
        // a block's second conv is pruned with its stage's coupled group (its output is added to the shortcut)
        vm.selectLayer("s2.b3.conv2");
        String group = vm.selectedLayer.get();
        assertThat(group).contains("coupled");
        assertThat(vm.model.get().channelGroups()).filteredOn(g -> g.name().equals(group)).singleElement()
                .satisfies(g -> assertThat(g.layers()).contains("s2.b1.conv2", "s2.b2.conv2", "s2.b3.conv2"));
        vm.selectLayer("no such layer");
        assertThat(vm.selectedLayer.get()).isEqualTo(group);
        vm.granularity.set(PruneConfig.Granularity.DEPTH);
        assertThat(vm.layerSets).containsExactly("blocks");
        vm.selectLayer("s2.b3.conv2");
        assertThat(vm.selectedLayer.get()).isEqualTo("blocks");
    }

    @Test
    void depthPreviewAndChoicesThatOnlyGoTogether() throws Exception {
        vm.loadModel(vm.defaultModel()); // lenet5: no residual blocks
        await(60, () -> vm.preview.get() != null);
        vm.granularity.set(PruneConfig.Granularity.DEPTH);
        await(30, () -> vm.previewText.get().contains("residual"));
        assertThat(vm.preview.get().error()).contains("has none");
        vm.loadModel(SAMPLES.resolve("resnet20-fmnist"));
        vm.sparsity.set(0.5);
        await(60, () -> vm.previewText.get().startsWith("keeps") && vm.previewText.get().contains("residual blocks"));
        assertThat(vm.preview.get().units()).isEqualTo(9);
        assertThat(vm.preview.get().unitsKept()).isEqualTo(5);
        assertThat(vm.preview.get().paramsKept()).isLessThan(vm.preview.get().params());
        // egp is unstructured, cpot structured; latency budgets are for depth
        vm.method.set(PruneConfig.Method.EGP);
        assertThat(vm.granularity.get()).isEqualTo(PruneConfig.Granularity.UNSTRUCTURED);
        vm.method.set(PruneConfig.Method.CPOT_MERGE);
        assertThat(vm.granularity.get()).isEqualTo(PruneConfig.Granularity.STRUCTURED);
        vm.granularity.set(PruneConfig.Granularity.UNSTRUCTURED);
        assertThat(vm.method.get()).isEqualTo(PruneConfig.Method.DTP);
        vm.budget.set(PruneConfig.Budget.LATENCY);
        assertThat(vm.granularity.get()).isEqualTo(PruneConfig.Granularity.DEPTH);
        vm.granularity.set(PruneConfig.Granularity.STRUCTURED);
        assertThat(vm.budget.get()).isEqualTo(PruneConfig.Budget.COUNT);
    }

    @Test
    void anEgpRunShowsTheEntropyOfEveryRelu() throws Exception {
        load(SAMPLES.resolve("mlp-300-100-fmnist"));
        vm.method.set(PruneConfig.Method.EGP);
        vm.sparsity.set(0.8);
        vm.pruneEpochs.set(2);
        vm.finetuneEpochs.set(0);
        vm.start();
        await(300, () -> {
            vm.drain();
            return !vm.running.get();
        });
        assertThat(vm.error.get()).isEmpty();
        assertThat(vm.lastEntropy().layers()).containsExactly("fc1", "fc2");
        assertThat(vm.lastEntropy().iteration()).isEqualTo(3); // two iterations, then the final measurement
        // the second iteration's epoch is drawn after the first, not on top of it
        assertThat(vm.testAccuracy).extracting(WorkbenchViewModel.Point::x).containsExactly(1.0, 2.0);
        assertThat(vm.summary.get().entropy()).hasSize(2);
    }

    @Test
    void aBadModelFolderReportsAndKeepsTheCurrentModel() throws Exception {
        load(vm.defaultModel());
        Path bad = Files.createDirectories(runs.resolve("bad"));
        vm.loadModel(bad);
        await(30, () -> vm.error.get().contains("Cannot open model"));
        assertThat(vm.model.get().info().name()).isEqualTo("lenet5");
    }

    @Test
    void aModelOrDataOpenedWhileARunGoesIsRefusedWithAMessage() throws Exception {
        load(vm.defaultModel());
        String data = vm.dataId.get();
        vm.running.set(true); // as start() sets it; no run needed to check the guard
        vm.openDropped(SAMPLES.resolve("mlp-300-100-fmnist")); // a model folder dropped on the window
        assertThat(vm.error.get()).contains("A run is going").contains("model");
        vm.openDropped(runs); // a folder that is not a model: opened as data
        assertThat(vm.error.get()).contains("A run is going").contains("data");
        vm.running.set(false);
        Thread.sleep(300); // a load that slipped through would have been submitted by now
        assertThat(vm.modelDir.get()).isEqualTo(vm.defaultModel());
        assertThat(vm.dataId.get()).isEqualTo(data);
    }

    @Test
    void aRunStreamsEventsAndEndsWithASummary() throws Exception {
        load(SAMPLES.resolve("mlp-300-100-fmnist"));
        vm.sparsity.set(0.8);
        vm.pruneEpochs.set(1);
        vm.finetuneEpochs.set(0);
        vm.start();
        assertThat(vm.running.get()).isTrue();
        await(300, () -> {
            vm.drain();
            return !vm.running.get();
        });
        assertThat(vm.error.get()).isEmpty();
        assertThat(vm.summary.get().achievedSparsity()).isEqualTo(0.8, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(vm.trainLoss).isNotEmpty();
        assertThat(vm.epsilon).isNotEmpty();
        assertThat(Files.exists(vm.lastRunDir.get().resolve("summary.json"))).isTrue();
    }

    @Test
    void askingForAMissingGpuFailsTheRunWithAClearMessageAndLeavesTheWorkbenchReady() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.otprune.train.Devices.gpuCount() == 0, "this machine has a GPU");
        load(SAMPLES.resolve("mlp-300-100-fmnist"));
        vm.device.set("gpu");
        vm.start();
        await(60, () -> !vm.running.get() && !vm.error.get().isEmpty());
        assertThat(vm.error.get()).contains("no GPU found").contains("PYTORCH_LIBRARY_PATH");
        assertThat(vm.status.get()).isEqualTo("failed");
        vm.device.set("cpu"); // and the next run can start
        vm.pruneEpochs.set(0);
        vm.finetuneEpochs.set(0);
        vm.start();
        await(120, () -> !vm.running.get() && vm.summary.get() != null);
    }

    @Test
    void comparisonGroupsRunsByKindAndOrdersThemBySparsity() {
        java.util.function.BiFunction<String, double[], io.otprune.run.RunHistory.Entry> run = (method, sa) ->
                new io.otprune.run.RunHistory.Entry(runs, method + sa[0], java.time.Instant.EPOCH, "x/lenet5-fmnist",
                        "d", io.otprune.run.RunHistoryTest.summary(method, sa[0], sa[1]));
        var series = WorkbenchViewModel.comparison(java.util.List.of(run.apply("DTP", new double[] {0.95, 0.85}),
                run.apply("GMP", new double[] {0.9, 0.88}), run.apply("DTP", new double[] {0.9, 0.89})));
        assertThat(series).containsOnlyKeys("lenet5-fmnist · dtp · unstructured", "lenet5-fmnist · gmp · unstructured");
        assertThat(series.get("lenet5-fmnist · dtp · unstructured")).containsExactly(
                new WorkbenchViewModel.Point(0.9, 0.89), new WorkbenchViewModel.Point(0.95, 0.85));
        assertThat(WorkbenchViewModel.denseAccuracies(java.util.List.of(run.apply("DTP", new double[] {0.9, 0.8}))))
                .containsExactly(java.util.Map.entry("lenet5-fmnist", 0.91));
    }
}
