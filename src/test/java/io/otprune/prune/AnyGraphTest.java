package io.otprune.prune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.otprune.data.Datasets;
import io.otprune.data.Normalization;
import io.otprune.model.Graph;
import io.otprune.model.ModelInfo;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import io.otprune.model.TestGraphs;
import io.otprune.run.PruneRun;
import io.otprune.run.PruneRunConfig;
import io.otprune.run.PruneSummary;
import io.otprune.run.TrainRun;
import io.otprune.run.TrainRunConfig;
import io.otprune.train.RunControl;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network the zoo does not have, using every op of the graph model ({@link TestGraphs#mobileNetStyle}): its
 * channel groups as traced against the groups worked out by hand, exact compaction, depth units, and a whole
 * train → prune run on it.
 */
class AnyGraphTest {
    @TempDir
    Path tmp;

    static Network init(NDManager m) {
        Network n = new Network(TestGraphs.mobileNetStyle());
        n.initialize(m);
        return n;
    }

    private static List<String> names(List<PrunableLayer> layers) {
        return layers.stream().map(PrunableLayer::name).toList();
    }

    private static List<String> consumers(ChannelGraph.Space s) {
        return s.consumers().stream().map(c -> c.layer().name() + "@" + c.offset() + "x" + c.featuresPerChannel())
                .toList();
    }

    /**
     * The groups, by hand: the stem's channels are added to b1's projection (one group); b1's expanded channels
     * pass the depthwise conv and are multiplied by the SE vector, so the SE's second conv produces into the same
     * group; the SE's reduced channels are a group of their own; b2's two branches are two groups that the concat
     * places at offsets 0 and 6 of b3's inputs; b3's first conv feeds a grouped conv, whose channels (tied by the
     * addition to the shortcut's) cannot be pruned, nor can the first conv's; fc1 reads b3's channels as 4×4 slabs
     * and its 32 outputs are a group; the input and fc2's outputs never are.
     */
    @Test
    void channelGroupsAreTheOnesWorkedOutByHand() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = init(m);
            ChannelGraph g = ChannelGraph.trace(n);
            List<ChannelGraph.Space> prunable = g.prunableSpaces();
            assertThat(prunable).extracting(ChannelGraph.Space::name).containsExactly("stem (+1 coupled)",
                    "b1.expand (+1 coupled)", "b1.se.fc1", "b2.left", "b2.right", "fc1");
            ChannelGraph.Space stem = g.outputOf(n.layer("stem"));
            assertThat(stem.size()).isEqualTo(8);
            assertThat(names(stem.producers())).containsExactly("stem", "b1.project");
            assertThat(consumers(stem)).containsExactly("b1.expand@0x1", "b2.left@0x1", "b2.right@0x1");
            assertThat(stem.members()).contains("stem.bn", "stem.act", "b1.project.bn", "b1.add");

            ChannelGraph.Space expanded = g.outputOf(n.layer("b1.expand"));
            assertThat(expanded.size()).isEqualTo(16);
            assertThat(names(expanded.producers())).containsExactly("b1.expand", "b1.se.fc2");
            assertThat(expanded).isSameAs(g.spaceOf("b1.dw")).isSameAs(g.spaceOf("b1.se.mul"));
            assertThat(consumers(expanded)).containsExactly("b1.se.fc1@0x1", "b1.project@0x1");
            assertThat(expanded.members()).contains("b1.dw", "b1.dw.bn", "b1.se.pool", "b1.se.gate");

            assertThat(consumers(g.outputOf(n.layer("b1.se.fc1")))).containsExactly("b1.se.fc2@0x1");
            assertThat(consumers(g.outputOf(n.layer("b2.left")))).containsExactly("b3.conv1@0x1", "b3.shortcut@0x1");
            assertThat(consumers(g.outputOf(n.layer("b2.right")))).containsExactly("b3.conv1@6x1",
                    "b3.shortcut@6x1");
            assertThat(g.spaceOf("b2.cat")).as("a concat holds two groups").isNull();

            assertThat(g.outputOf(n.layer("b3.conv1")).prunable()).as("feeds a grouped conv").isFalse();
            ChannelGraph.Space b3 = g.outputOf(n.layer("b3.conv2"));
            assertThat(b3.prunable()).isFalse();
            assertThat(names(b3.producers())).containsExactly("b3.conv2", "b3.shortcut");
            assertThat(consumers(b3)).containsExactly("fc1@0x16");

            assertThat(consumers(g.outputOf(n.layer("fc1")))).containsExactly("fc2@0x1");
            assertThat(g.outputOf(n.layer("fc2")).prunable()).isFalse();
            assertThat(g.spaces().get(0).prunable()).as("the input").isFalse();
        }
    }

    @Test
    void gatedZeroedAndCompactModelsAgreeAndCountsAreExact() {
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 3; trial++) {
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                Engine.getInstance().setRandomSeed(trial);
                Network n = init(m);
                StructuredTest.randomiseBatchNorm(n, m, r);
                PruneUnits units = PruneUnits.of(n, PruneConfig.Granularity.STRUCTURED);
                List<UnitSet> sets = units.sets();
                boolean[][] keep = StructuredTest.randomKeep(sets, r);
                NDArray x = m.randomNormal(n.inputShape(8));
                ParameterStore ps = new ParameterStore(m, false);
                float[] dense = n.forward(ps, x, false).toFloatArray();
                float[] gated;
                try (NDManager gm = m.newSubManager()) {
                    for (int j = 0; j < sets.size(); j++) {
                        sets.get(j).installMask(sets.get(j).maskArray(gm, keep[j]));
                    }
                    gated = n.forward(ps, x, false).toFloatArray();
                }
                HardMasks hard = new HardMasks(sets, keep, m);
                float[] zeroed = n.forward(ps, x, false).toFloatArray();
                PruneUnits.Compaction c = units.compact(keep, m);
                float[] compact = c.network().forward(ps, x, false).toFloatArray();
                double changed = 0;
                for (int i = 0; i < dense.length; i++) {
                    assertThat(Math.abs(gated[i] - zeroed[i])).isLessThan(1e-4f);
                    assertThat(Math.abs(compact[i] - zeroed[i])).isLessThan(1e-4f);
                    changed = Math.max(changed, Math.abs(dense[i] - zeroed[i]));
                }
                assertThat(changed).as("pruning changed the function").isGreaterThan(1e-4);
                Accounting acc = units.account(keep, PruneConfig.Budget.PARAMS);
                assertThat(c.network().paramCount()).isEqualTo(acc.paramsAfter());
                assertThat(c.network().macs()).isEqualTo(acc.flopsAfter());
                // the depthwise conv follows its channels: as many filters as b1.expand keeps
                assertThat(c.network().layer("b1.dw").outChannels()).isEqualTo(c.network().layer("b1.expand")
                        .outChannels()).isEqualTo(c.network().layer("b1.se.fc2").outChannels());
                hard.close();
            }
        }
    }

    @Test
    void residualAddsAreDepthUnitsAndRemovingThemIsExact() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = init(m);
            StructuredTest.randomiseBatchNorm(n, m, new SplittableRandom(3));
            DepthUnits units = new DepthUnits(n);
            assertThat(units.blocks()).extracting(DepthUnits.Residual::name).containsExactly("b1", "b3");
            assertThat(units.blocks().get(0).fork()).isEqualTo("stem.act");
            assertThat(units.blocks().get(0).branch()).contains("b1.expand", "b1.dw", "b1.se.mul", "b1.project.bn")
                    .doesNotContain("stem.act");
            assertThat(units.blocks().get(1).branch()).containsExactly("b3.conv1", "b3.bn1", "b3.relu1", "b3.conv2",
                    "b3.bn2");
            NDArray x = m.randomNormal(n.inputShape(4));
            ParameterStore ps = new ParameterStore(m, false);
            boolean[] keep = {false, false};
            float[] gated;
            try (NDManager gm = m.newSubManager()) {
                units.installMask(units.maskArray(gm, keep));
                gated = n.forward(ps, x, false).toFloatArray();
                units.clearMask();
            }
            Network small = DepthUnits.removeBlocks(n, units.removedBlocks(keep), m);
            float[] compact = small.forward(ps, x, false).toFloatArray();
            for (int i = 0; i < gated.length; i++) {
                assertThat(Math.abs(compact[i] - gated[i])).isLessThan(1e-4f);
            }
            assertThat(small.findLayer("b1.dw")).isEmpty();
            assertThat(small.findLayer("b3.shortcut")).isPresent();
            assertThat(small.paramCount()).isEqualTo(n.paramCount() - Math.round(units.costs(PruneConfig.Budget.PARAMS)[0]
                    + units.costs(PruneConfig.Budget.PARAMS)[1]));
        }
    }

    /** Saved as a model folder, the graph trains and is pruned like a zoo model: channels at 50% parameters. */
    @Test
    void trainsAndIsPrunedStructuredAtHalfTheParameters() throws Exception {
        Path model = tmp.resolve("mnv2");
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(1);
            Network n = init(m);
            var ds = Datasets.load(Datasets.MNIST_SMALL);
            ModelStore.save(model, n, ModelInfo.builder().name("mobilenet-style").network(n.graph())
                    .classNames(ds.classNames()).dataset(ds.id()).normalization(Normalization.of(ds.train()))
                    .trainingCommand("test").build(), false);
        }
        Path trained = tmp.resolve("trained");
        TrainRun.execute(TrainRunConfig.builder().model(model.toString()).data("mnist-small").epochs(2)
                .device("cpu").command("test").build(), tmp.resolve("train"), false, trained, e -> {}, new RunControl());
        PruneConfig pc = PruneConfig.builder().granularity(PruneConfig.Granularity.STRUCTURED)
                .budget(PruneConfig.Budget.PARAMS).sparsity(0.5).build();
        PruneSummary s = PruneRun.execute(PruneRunConfig.builder().model(trained.toString()).data("mnist-small")
                .prune(pc).pruneEpochs(1).finetuneEpochs(0).device("cpu").build(), tmp.resolve("prune"), false,
                e -> {}, new RunControl());
        assertThat(s.denseAccuracy()).as("it learned").isGreaterThan(0.5);
        assertThat(s.compactMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
        // within one unit of the target: fc1's outputs are the dearest channels (192 + 1 + 10 parameters)
        assertThat((s.achievedParamSparsity() - 0.5) * s.paramsBefore()).isBetween(0.0, 203.0);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ModelStore.Loaded l = ModelStore.load(tmp.resolve("prune").resolve("model"), m);
            assertThat(l.network().paramCount()).isEqualTo(s.paramsAfter());
            Map<String, Integer> widths = l.network().layers().stream().collect(Collectors.toMap(PrunableLayer::name,
                    PrunableLayer::outChannels));
            assertThat(widths.get("b3.conv2")).as("fixed by the grouped conv").isEqualTo(12);
            Graph graph = l.info().graph();
            assertThat(graph.params()).isEqualTo(s.paramsAfter());
        }
    }
}
