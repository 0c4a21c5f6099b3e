package io.otprune.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.otprune.model.ModelStore;
import io.otprune.model.PrunableLayer;
import io.otprune.prune.PruneConfig;
import io.otprune.train.DivergenceException;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneRunTest {
    @TempDir
    static Path tmp;
    static Path dense;

    @BeforeAll
    static void trainDense() throws Exception {
        dense = tmp.resolve("dense");
        TrainRun.execute(TrainRunConfig.builder().model("mlp-300-100").data("mnist-small").epochs(2)
                .device("cpu").command("test").build(), tmp.resolve("train-run"), false, dense, e -> {}, new RunControl());
    }

    static PruneRunConfig config(PruneConfig pc, int p, int f) {
        return PruneRunConfig.builder().model(dense.toString()).data("mnist-small").prune(pc)
                .pruneEpochs(p).finetuneEpochs(f).learningRate(0.01).device("cpu").build();
    }

    @Test
    void everyMethodHitsTheExactCountBudgetAndWritesTheRunFiles() throws Exception {
        for (PruneConfig.Method m : PruneConfig.Method.values()) {
            if (m == PruneConfig.Method.CPOT || m == PruneConfig.Method.CPOT_MERGE) {
                continue; // channel criteria: in the structured test
            }
            PruneConfig pc = PruneConfig.builder().method(m).granularity(PruneConfig.Granularity.UNSTRUCTURED).budget(PruneConfig.Budget.COUNT)
                .scope(PruneConfig.Scope.GLOBAL).sparsity(0.8).temperature(PruneConfig.TemperatureMode.AUTO).build();
            Path out = tmp.resolve("run-" + m);
            List<RunEvent> events = new ArrayList<>();
            PruneSummary s = PruneRun.execute(config(pc, 1, 1), out, false, events::add, new RunControl());
            // 266,200 weights: exactly 53,240 kept
            assertThat(s.unitsKept()).as(m.name()).isEqualTo(53_240);
            assertThat(s.achievedSparsity()).isEqualTo(1 - 53_240.0 / 266_200);
            assertThat(s.achievedSparsity()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(s.paramsAfter()).isEqualTo(266_610 - (266_200 - 53_240));
            assertThat(s.finalAccuracy()).isGreaterThan(0.5);
            for (String f : List.of("run.json", "metrics.jsonl", "summary.json", "model/model.json", "model/model.params")) {
                assertThat(out.resolve(f)).exists();
            }
            assertThat(out.resolve("checkpoint")).doesNotExist();
            assertThat(events).anyMatch(e -> e instanceof RunEvent.Hardened);
            JsonObject json = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
            for (String key : List.of("targetSparsity", "achievedSparsity", "achievedUnitSparsity",
                    "achievedParamSparsity", "achievedFlopSparsity", "denseAccuracy", "finalAccuracy", "hardeningGap",
                    "maskSharpnessAtHardening", "perLayer", "paramsBefore", "paramsAfter", "flopsBefore", "flopsAfter",
                    "seconds", "device", "confusion")) {
                assertThat(json.has(key)).as(key).isTrue();
            }
            // both confusion matrices count the whole test set; their diagonals are the two accuracies
            PruneSummary read = io.otprune.util.Json.PRETTY.fromJson(Files.readString(out.resolve("summary.json")),
                    PruneSummary.class);
            assertThat(read.confusion()).isEqualTo(s.confusion());
            assertThat(s.confusion().classes()).hasSize(10);
            for (io.otprune.train.ConfusionMatrix cm : List.of(s.confusion().dense(), s.confusion().pruned())) {
                assertThat(cm.total()).as(m.name()).isEqualTo(2000); // mnist-small's test split
            }
            assertThat(s.confusion().dense().accuracy()).as(m.name()).isEqualTo(s.denseAccuracy());
            assertThat(s.confusion().pruned().accuracy()).as(m.name())
                    .isCloseTo(s.finalAccuracy(), org.assertj.core.data.Offset.offset(1e-12));
            // the saved model really has the zeros, exactly as many as pruned
            try (NDManager mgr = NDManager.newBaseManager(Device.cpu())) {
                ModelStore.Loaded l = ModelStore.load(out.resolve("model"), mgr);
                long zeros = 0;
                for (PrunableLayer layer : l.network().layers()) {
                    for (float v : layer.weight().getArray().toFloatArray()) {
                        zeros += v == 0f ? 1 : 0;
                    }
                }
                assertThat(zeros).isEqualTo(266_200 - 53_240);
                assertThat(l.info().sparsity()).isEqualTo(s.achievedUnitSparsity());
            }
        }
    }

    @Test
    void dtpReportsSharpnessAndAHardeningGap() throws Exception {
        PruneConfig pc = PruneConfig.defaults(PruneConfig.Method.DTP, PruneConfig.Granularity.UNSTRUCTURED, 0.9);
        List<RunEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
        PruneSummary s = PruneRun.execute(config(pc, 2, 0), tmp.resolve("dtp"), false, events::add, new RunControl());
        assertThat(s.maskSharpnessAtHardening()).isGreaterThanOrEqualTo(0.99);
        // live masks: soft ones while pruning, then the hard ones, whose ones are exactly the kept units
        List<RunEvent.Mask> masks = events.stream().filter(e -> e instanceof RunEvent.Mask)
                .map(e -> (RunEvent.Mask) e).toList();
        assertThat(masks).anyMatch(m -> !m.hard() && m.set().equals("fc1"));
        for (RunEvent.Mask m : masks) {
            assertThat(m.values().length).isEqualTo(java.util.Arrays.stream(m.shape()).reduce(1, (a, b) -> a * b));
            for (float v : m.values()) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
        List<RunEvent.Mask> hard = masks.stream().filter(RunEvent.Mask::hard).toList();
        assertThat(hard).extracting(RunEvent.Mask::set).containsExactly("fc1", "fc2", "fc3");
        long ones = 0;
        for (RunEvent.Mask m : hard) {
            for (float v : m.values()) {
                ones += v == 1f ? 1 : 0;
            }
        }
        assertThat(ones).isEqualTo(s.unitsKept());
        // ...and none of them in metrics.jsonl, which stays small
        assertThat(Files.readString(tmp.resolve("dtp").resolve("metrics.jsonl"))).doesNotContain("\"type\":\"mask\"")
                .contains("\"type\":\"histogram\"");
        assertThat(s.hardeningGap()).isEqualTo(s.accuracyAfterHardening() - s.accuracyBeforeHardening());
        assertThat(Math.abs(s.hardeningGap())).isLessThan(0.05);
        assertThat(s.finalAccuracy()).isEqualTo(s.accuracyAfterHardening()); // no fine-tune epochs
        // on the CPU the mlp's 266,200 weights take DTP's score step on the host, and the run says so
        assertThat(events).filteredOn(e -> e instanceof RunEvent.Phase p && p.phase().equals("prune"))
                .extracting(e -> ((RunEvent.Phase) e).detail()).anyMatch(t -> t.endsWith("score step on the host"));
        // the mlp is a small network: the run says it trained on one CPU thread (EngineThreads)
        if (System.getenv("OMP_NUM_THREADS") == null && System.getProperty("ai.djl.pytorch.num_threads") == null) {
            assertThat(events).filteredOn(e -> e instanceof RunEvent.Message)
                    .extracting(e -> ((RunEvent.Message) e).text()).anyMatch(t -> t.startsWith("CPU threads: 1"));
        }
    }

    @Test
    void flopBudgetWithinOneUnitAndLayerScopeExact() throws Exception {
        PruneConfig flops = PruneConfig.builder().method(PruneConfig.Method.MAGNITUDE).granularity(PruneConfig.Granularity.UNSTRUCTURED).budget(PruneConfig.Budget.FLOPS)
                .scope(PruneConfig.Scope.LAYER).sparsity(0.5).temperature(PruneConfig.TemperatureMode.AUTO).build();
        PruneSummary s = PruneRun.execute(config(flops, 0, 0), tmp.resolve("flops"), false, e -> {}, new RunControl());
        for (io.otprune.prune.Accounting.Layer l : s.perLayer()) {
            assertThat(l.kept()).isEqualTo(Math.round(0.5 * l.units()));
        }
        assertThat(s.achievedFlopSparsity()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void structuredRunWritesASmallerCompactModelThatLoads() throws Exception {
        for (PruneConfig.Method method : List.of(PruneConfig.Method.DTP, PruneConfig.Method.GMP,
                PruneConfig.Method.CPOT, PruneConfig.Method.CPOT_MERGE)) {
            PruneConfig pc = PruneConfig.builder().method(method).granularity(PruneConfig.Granularity.STRUCTURED).budget(PruneConfig.Budget.PARAMS)
                .scope(PruneConfig.Scope.GLOBAL).sparsity(0.5).temperature(PruneConfig.TemperatureMode.AUTO).build();
            Path out = tmp.resolve("structured-" + method);
            PruneSummary s = PruneRun.execute(config(pc, 1, 0), out, false, e -> {}, new RunControl());
            assertThat(s.compactMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
            // one hidden neuron of fc1 carries 784 + 1 + 100 parameters: the largest unit
            assertThat((s.achievedParamSparsity() - 0.5) * s.paramsBefore()).isBetween(0.0, 885.0);
            assertThat(s.speedBefore().fileBytes()).isGreaterThan(s.speedAfter().fileBytes());
            assertThat(s.speedAfter().batch1Ms()).isPositive();
            try (NDManager mgr = NDManager.newBaseManager(Device.cpu())) {
                ModelStore.Loaded l = ModelStore.load(out.resolve("model"), mgr);
                assertThat(l.network().paramCount()).isEqualTo(s.paramsAfter());
                assertThat(l.network().layer("fc1").outChannels() + l.network().layer("fc2").outChannels())
                        .isLessThan(400);
                double acc = io.otprune.train.Evaluation.of(l.network(), mgr,
                        io.otprune.data.Datasets.load("mnist-small").test(), l.info().normalization()).accuracy();
                assertThat(acc).isEqualTo(s.finalAccuracy());
            }
        }
    }

    @Test
    void egpFoldsALayerWhoseReluIsAlwaysOnAndTheShallowerModelLoads() throws Exception {
        // fc2's ReLU made always on (a large bias), so it is linear and folds into fc3
        Path forced = tmp.resolve("forced");
        try (NDManager mgr = NDManager.newBaseManager(Device.cpu())) {
            ModelStore.Loaded l = ModelStore.load(dense, mgr);
            l.network().layer("fc2").bias().getArray().addi(mgr.full(new ai.djl.ndarray.types.Shape(100), 1000f));
            ModelStore.save(forced, l.network(), l.info(), false);
        }
        PruneConfig pc = PruneConfig.builder().method(PruneConfig.Method.EGP).granularity(PruneConfig.Granularity.UNSTRUCTURED).budget(PruneConfig.Budget.COUNT)
                .scope(PruneConfig.Scope.GLOBAL).sparsity(0.7).temperature(PruneConfig.TemperatureMode.AUTO).build();
        Path out = tmp.resolve("egp-fold");
        List<RunEvent> events = new ArrayList<>();
        // no training (it would move the forced bias): one iteration, pruning only
        PruneSummary s = PruneRun.execute(PruneRunConfig.builder().model(forced.toString()).data("mnist-small").prune(pc)
                .pruneEpochs(0).finetuneEpochs(0).learningRate(0.01).device("cpu").build(), out, false, events::add, new RunControl());
        assertThat(s.unitsKept()).isEqualTo(Math.round(0.3 * 266_200));
        // the iteration's measurement, then the final one
        assertThat(events).filteredOn(e -> e instanceof RunEvent.Entropy).hasSize(2);
        assertThat(Files.readString(out.resolve("metrics.jsonl"))).contains("\"type\":\"entropy\"");
        io.otprune.prune.ActivationEntropy.Report fc2 = s.entropy().stream().filter(e -> e.layer().equals("fc2")).findFirst().orElseThrow();
        assertThat(fc2.alwaysOn()).isEqualTo(100);
        assertThat(fc2.entropy()).isZero();
        assertThat(fc2.status()).contains("folded");
        assertThat(s.entropy().stream().filter(e -> e.layer().equals("fc1")).findFirst().orElseThrow().status())
                .isEqualTo("active");
        assertThat(s.structure().removed()).containsExactly("fc2");
        assertThat(s.structure().depthAfter()).isEqualTo(2);
        assertThat(s.compactMaxAbsDiff()).isNotNull();
        try (NDManager mgr = NDManager.newBaseManager(Device.cpu())) {
            ModelStore.Loaded l = ModelStore.load(out.resolve("model"), mgr);
            assertThat(l.network().layers()).extracting(PrunableLayer::name).containsExactly("fc1", "fc3");
            assertThat(l.network().layer("fc3").inChannels()).isEqualTo(300);
            double acc = io.otprune.train.Evaluation.of(l.network(), mgr,
                    io.otprune.data.Datasets.load("mnist-small").test(), l.info().normalization()).accuracy();
            assertThat(acc).isEqualTo(s.finalAccuracy());
        }
    }

    @Test
    void depthRunRemovesBlocksAndTheShallowerModelLoads() throws Exception {
        PruneConfig pc = PruneConfig.builder().method(PruneConfig.Method.DTP).granularity(PruneConfig.Granularity.DEPTH).budget(PruneConfig.Budget.COUNT)
                .scope(PruneConfig.Scope.GLOBAL).sparsity(0.5).temperature(PruneConfig.TemperatureMode.AUTO).build();
        Path out = tmp.resolve("depth");
        List<RunEvent> events = new ArrayList<>();
        PruneSummary s = PruneRun.execute(PruneRunConfig.builder().model(Path.of("sample-models/resnet20-fmnist").toString()).data("fashion-mnist-small").prune(pc)
                .pruneEpochs(1).finetuneEpochs(0).learningRate(0.01).device("cpu").build(), out, false, events::add,
                new RunControl());
        // round(0.5 * 9) = 5 blocks kept, exactly
        assertThat(s.units()).isEqualTo(9);
        assertThat(s.unitsKept()).isEqualTo(5);
        assertThat(s.structure().removed()).hasSize(4);
        assertThat(s.structure().depthAfter()).isLessThan(s.structure().depthBefore());
        assertThat(s.compactMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
        // the soft gates ended on the budget: the hard cut loses little
        assertThat(s.hardeningGap()).isGreaterThan(-0.05);
        assertThat(events).anyMatch(e -> e instanceof RunEvent.Mask m && m.hard() && m.values().length == 9);
        try (NDManager mgr = NDManager.newBaseManager(Device.cpu())) {
            ModelStore.Loaded l = ModelStore.load(out.resolve("model"), mgr);
            assertThat(io.otprune.prune.DepthUnits.find(l.network().graph())).hasSize(5);
            assertThat(l.network().paramCount()).isEqualTo(s.paramsAfter());
            double acc = io.otprune.train.Evaluation.of(l.network(), mgr,
                    io.otprune.data.Datasets.load("fashion-mnist-small").test(), l.info().normalization()).accuracy();
            assertThat(acc).isEqualTo(s.finalAccuracy());
        }
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() {
        PruneConfig pc = PruneConfig.defaults(PruneConfig.Method.DTP, PruneConfig.Granularity.UNSTRUCTURED, 0.5);
        Path out = tmp.resolve("never");
        PruneRunConfig wrongData = PruneRunConfig.builder().model(dense.toString()).data("no-such-data").prune(pc)
                .pruneEpochs(1).finetuneEpochs(0).learningRate(0.01).device("cpu").build();
        assertThatThrownBy(() -> PruneRun.execute(wrongData, out, false, e -> {}, new RunControl()))
                .hasMessageContaining("unknown data set");
        PruneRunConfig noModel = PruneRunConfig.builder().model(tmp.resolve("nothing").toString()).data("mnist-small").prune(pc)
                .pruneEpochs(1).finetuneEpochs(0).learningRate(0.01).device("cpu").build();
        assertThatThrownBy(() -> PruneRun.execute(noModel, out, false, e -> {}, new RunControl()))
                .hasMessageContaining("not a model folder");
        PruneConfig extreme = PruneConfig.builder().method(PruneConfig.Method.DTP).granularity(PruneConfig.Granularity.UNSTRUCTURED).budget(PruneConfig.Budget.COUNT)
                .scope(PruneConfig.Scope.LAYER).sparsity(0.9999).temperature(PruneConfig.TemperatureMode.AUTO).build();
        assertThatThrownBy(() -> PruneRun.execute(config(extreme, 1, 0), out, false, e -> {}, new RunControl()))
                .isInstanceOf(io.otprune.prune.Selection.BudgetException.class).hasMessageContaining("cannot be met");
        assertThat(out).doesNotExist();
    }

    @Test
    void divergingRunStopsAndKeepsTheLastGoodEpoch() throws Exception {
        PruneConfig pc = PruneConfig.builder().method(PruneConfig.Method.MAGNITUDE).granularity(PruneConfig.Granularity.UNSTRUCTURED).budget(PruneConfig.Budget.COUNT)
                .scope(PruneConfig.Scope.GLOBAL).sparsity(0.5).temperature(PruneConfig.TemperatureMode.AUTO).build();
        // a learning rate that blows up at once
        PruneRunConfig cfg = PruneRunConfig.builder().model(dense.toString()).data("mnist-small").prune(pc)
                .pruneEpochs(0).finetuneEpochs(1).learningRate(1e7).device("cpu").build();
        Path out = tmp.resolve("diverge");
        assertThatThrownBy(() -> PruneRun.execute(cfg, out, false, e -> {}, new RunControl()))
                .isInstanceOf(DivergenceException.class).hasMessageContaining("diverged")
                .hasMessageContaining("unchanged");
        assertThat(Files.readString(out.resolve("metrics.jsonl"))).contains("\"type\":\"failed\"");
        assertThat(out.resolve("model")).doesNotExist();
        assertThat(dense.resolve("model.json")).exists();
    }
}
