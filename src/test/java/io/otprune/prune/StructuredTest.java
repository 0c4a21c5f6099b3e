package io.otprune.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.otprune.model.Architectures;
import io.otprune.model.LegacyModel;
import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StructuredTest {

    static Network init(NDManager m, String id) {
        Network n = new Network(Architectures.graph(id, 1, 28, 28, 10));
        n.initialize(m);
        return n;
    }

    @Test
    void resnetStagesAreCoupledAcrossShortcutsDerivedFromTheStructure() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = init(m, "resnet20");
            ChannelGraph g = ChannelGraph.trace(n);
            List<ChannelGraph.Space> spaces = g.prunableSpaces();
            assertThat(spaces).hasSize(3 + 9);
            ChannelGraph.Space s1 = g.outputOf(n.layer("stem"));
            assertThat(s1.producers()).extracting(PrunableLayer::name)
                    .containsExactly("stem", "s1.b1.conv2", "s1.b2.conv2", "s1.b3.conv2");
            assertThat(s1.consumers()).extracting(c -> c.layer().name())
                    .containsExactly("s1.b1.conv1", "s1.b2.conv1", "s1.b3.conv1", "s2.b1.conv1", "s2.b1.shortcut");
            ChannelGraph.Space s2 = g.outputOf(n.layer("s2.b1.shortcut"));
            assertThat(s2).isSameAs(g.outputOf(n.layer("s2.b3.conv2")));
            assertThat(s2.producers()).extracting(PrunableLayer::name)
                    .containsExactly("s2.b1.conv2", "s2.b1.shortcut", "s2.b2.conv2", "s2.b3.conv2");
            ChannelGraph.Space s3 = g.outputOf(n.layer("s3.b3.conv2"));
            assertThat(s3.consumers()).extracting(c -> c.layer().name()).contains("fc");
            assertThat(s3.consumers().stream().filter(c -> c.layer().name().equals("fc")).findFirst().orElseThrow()
                    .featuresPerChannel()).isEqualTo(1);
            // BN, ReLU and the additions hold the stage's channels too: all of them are gated or zeroed together
            assertThat(s2.members()).contains("s2.b1.conv2.bn", "s2.b1.shortcut.bn", "s2.b1.add", "s2.b1.out",
                    "s2.b3.out");
            assertThat(g.outputOf(n.layer("fc")).prunable()).isFalse();
            // inner spaces: one producer, one consumer
            ChannelGraph.Space inner = g.outputOf(n.layer("s2.b2.conv1"));
            assertThat(inner.producers()).hasSize(1);
            assertThat(inner.consumers()).extracting(c -> c.layer().name()).containsExactly("s2.b2.conv2");
        }
    }

    @Test
    void theExperimentalBnMagnitudeOfAChannelIsItsScalesNormOverTheSpacesBatchNorms() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = init(m, "resnet20");
            randomiseBatchNorm(n, m, new SplittableRandom(4));
            ChannelUnits stem = (ChannelUnits) PruneUnits.of(n, PruneConfig.Granularity.STRUCTURED).sets().stream()
                    .filter(u -> u.name().startsWith("stem")).findFirst().orElseThrow();
            List<String> bns = stem.space().members().stream()
                    .filter(x -> n.graph().node(x).op() instanceof io.otprune.model.Ops.BatchNorm).toList();
            assertThat(bns).hasSize(4); // the stem's and each stage-1 block's last BN, tied by the additions
            double[] expected = new double[stem.size()];
            for (String bn : bns) {
                float[] g = n.batchNormParameter(bn, "gamma").getArray().toFloatArray();
                for (int c = 0; c < g.length; c++) {
                    expected[c] += (double) g[c] * g[c];
                }
            }
            float[] byWeights = stem.magnitudes();
            System.setProperty("otprune.channelMagnitude", "bn");
            try {
                float[] byBn = stem.magnitudes();
                for (int c = 0; c < byBn.length; c++) {
                    assertThat((double) byBn[c]).isCloseTo(Math.sqrt(expected[c]), within(1e-5));
                }
                assertThat(byBn).isNotEqualTo(byWeights);
            } finally {
                System.clearProperty("otprune.channelMagnitude");
            }
        }
    }

    @Test
    void otherWidthsGetTheirGroupsToo() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = new Network(new LegacyModel.Architecture("resnet20",
                    List.of(8, 12, 20, 3, 4, 5, 6, 7, 8, 9, 10, 11), 1, 28, 28, 10, List.of()).graph());
            n.initialize(m);
            ChannelGraph g = ChannelGraph.trace(n);
            assertThat(g.outputOf(n.layer("s2.b1.shortcut")).size()).isEqualTo(12);
            assertThat(g.outputOf(n.layer("s3.b2.conv1")).size()).isEqualTo(10);
            Network lenet = init(m, "lenet5");
            ChannelGraph lg = ChannelGraph.trace(lenet);
            // 4x4 after the pools: each conv2 channel is a slab of 16 of fc1's inputs
            assertThat(lg.outputOf(lenet.layer("conv2")).consumers().get(0).featuresPerChannel()).isEqualTo(16);
            assertThat(lg.prunableSpaces()).hasSize(3); // conv1, conv2, fc1; not the classifier
        }
    }

    /** Random keeps (at least one channel per space), reproducible. */
    static boolean[][] randomKeep(List<UnitSet> sets, SplittableRandom r) {
        boolean[][] keep = new boolean[sets.size()][];
        for (int j = 0; j < sets.size(); j++) {
            keep[j] = new boolean[sets.get(j).size()];
            keep[j][r.nextInt(keep[j].length)] = true;
            for (int i = 0; i < keep[j].length; i++) {
                keep[j][i] |= r.nextDouble() < 0.6;
            }
        }
        return keep;
    }

    @Test
    void compactModelEqualsMaskedModelAndExactCountsMatchForEveryArchitecture() {
        SplittableRandom r = new SplittableRandom(3);
        for (String id : Architectures.ids()) {
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                Engine.getInstance().setRandomSeed(2);
                Network n = init(m, id);
                randomiseBatchNorm(n, m, r);
                List<UnitSet> sets = PruneUnits.of(n, PruneConfig.Granularity.STRUCTURED).sets();
                boolean[][] keep = randomKeep(sets, r);
                NDArray x = m.randomNormal(n.inputShape(16));
                ParameterStore ps = new ParameterStore(m, false);
                // soft gates of 0/1 and zeroed parameters give the same outputs
                try (NDManager gm = m.newSubManager()) {
                    for (int j = 0; j < sets.size(); j++) {
                        sets.get(j).installMask(sets.get(j).maskArray(gm, keep[j]));
                    }
                    float[] gated = n.forward(ps, x, false).toFloatArray();
                    HardMasks hard = new HardMasks(sets, keep, m);
                    float[] zeroed = n.forward(ps, x, false).toFloatArray();
                    for (int i = 0; i < gated.length; i++) {
                        assertThat(Math.abs(gated[i] - zeroed[i])).as(id).isLessThan(1e-4f);
                    }
                    ChannelGraph g = ((ChannelUnits) sets.get(0)).graph();
                    Network small = Compactor.compact(n, g, Compactor.keptChannels(sets, keep), m);
                    float[] compact = small.forward(ps, x, false).toFloatArray();
                    for (int i = 0; i < gated.length; i++) {
                        assertThat(Math.abs(compact[i] - zeroed[i])).as(id).isLessThan(1e-4f);
                    }
                    Map<ChannelGraph.Space, Integer> counts = new IdentityHashMap<>();
                    for (int j = 0; j < sets.size(); j++) {
                        int c = 0;
                        for (boolean b : keep[j]) {
                            c += b ? 1 : 0;
                        }
                        counts.put(((ChannelUnits) sets.get(j)).space(), c);
                    }
                    long[] exact = g.countWith(counts);
                    assertThat(exact[0]).as(id).isEqualTo(small.paramCount());
                    assertThat(exact[1]).as(id).isEqualTo(small.macs());
                    assertThat(small.paramCount()).isLessThan(n.paramCount());
                    hard.close();
                }
            }
        }
    }

    /** Non-trivial BN statistics and affine terms, so zeroing gamma and beta is really what silences a channel. */
    static void randomiseBatchNorm(Network n, NDManager m, SplittableRandom r) {
        for (io.otprune.model.Node node : n.graph().nodes()) {
            if (node.op() instanceof io.otprune.model.Ops.BatchNorm) {
                for (String p : new String[] {"gamma", "beta", "runningMean", "runningVar"}) {
                    NDArray a = n.batchNormParameter(node.name(), p).getArray();
                    float[] v = new float[(int) a.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (p.equals("runningVar") ? 0.5 + r.nextDouble() : r.nextGaussian());
                    }
                    a.set(v);
                }
            }
        }
    }

    @Test
    void parameterAndFlopBudgetsEndWithinOneUnitOfTheTarget() {
        SplittableRandom r = new SplittableRandom(5);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (String id : List.of("vgg-small", "resnet20", "lenet5")) {
                Network n = init(m, id);
                PruneUnits units = PruneUnits.of(n, PruneConfig.Granularity.STRUCTURED);
                List<UnitSet> sets = units.sets();
                ChannelGraph g = ((ChannelUnits) sets.get(0)).graph();
                for (PruneConfig.Budget budget : List.of(PruneConfig.Budget.PARAMS, PruneConfig.Budget.FLOPS)) {
                    for (PruneConfig.Scope scope : PruneConfig.Scope.values()) {
                        for (double sparsity : new double[] {0.3, 0.5, 0.7}) {
                            PruneConfig pc = PruneConfig.builder().method(PruneConfig.Method.MAGNITUDE)
                                    .granularity(PruneConfig.Granularity.STRUCTURED).budget(budget).scope(scope)
                                    .sparsity(sparsity).build();
                            List<float[]> scores = new ArrayList<>();
                            for (UnitSet u : sets) {
                                float[] s = new float[u.size()];
                                for (int i = 0; i < s.length; i++) {
                                    s[i] = (float) r.nextDouble();
                                }
                                scores.add(s);
                            }
                            List<Problem> ps = Problems.build(sets, budget, scope, pc.keptFraction());
                            boolean[][] keep = units.select(ps, scores, pc, pc.keptFraction());
                            Map<ChannelGraph.Space, Integer> counts = new IdentityHashMap<>();
                            double maxUnit = 0;
                            for (int j = 0; j < sets.size(); j++) {
                                int c = 0;
                                for (boolean b : keep[j]) {
                                    c += b ? 1 : 0;
                                }
                                assertThat(c).isGreaterThanOrEqualTo(1); // the floor
                                counts.put(((ChannelUnits) sets.get(j)).space(), c);
                                maxUnit = Math.max(maxUnit, sets.get(j).costs(budget)[0]);
                            }
                            int k = budget == PruneConfig.Budget.PARAMS ? 0 : 1;
                            double full = g.countWith(new IdentityHashMap<>())[k];
                            double kept = g.countWith(counts)[k];
                            double target = (1 - sparsity) * full;
                            assertThat(kept).as("%s %s %s %s", id, budget, scope, sparsity).isLessThanOrEqualTo(target);
                            assertThat(target - kept).as("%s %s %s %s", id, budget, scope, sparsity)
                                    .isLessThan(maxUnit);
                        }
                    }
                }
            }
        }
    }
}
