package io.otprune.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.otprune.model.Graph;
import io.otprune.model.LegacyModel;
import io.otprune.model.Network;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DepthTest {

    @Test
    void gatedOffBlocksEqualTheShallowerCompactModel() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(4);
            Network n = StructuredTest.init(m, "resnet20");
            StructuredTest.randomiseBatchNorm(n, m, new SplittableRandom(9));
            DepthUnits units = new DepthUnits(n);
            List<UnitSet> sets = List.of(units);
            // an identity block, the projection block of stage 2, and the last block
            boolean[] keep = {true, false, true, false, true, true, true, true, false};
            NDArray x = m.randomNormal(n.inputShape(8));
            ParameterStore ps = new ParameterStore(m, false);
            float[] dense = n.forward(ps, x, false).toFloatArray();
            float[] gated;
            try (NDManager gm = m.newSubManager()) {
                units.installMask(units.maskArray(gm, keep));
                gated = n.forward(ps, x, false).toFloatArray();
            }
            HardMasks hard = new HardMasks(sets, new boolean[][] {keep}, m);
            float[] zeroed = n.forward(ps, x, false).toFloatArray();
            Network small = DepthUnits.removeBlocks(n, units.removedBlocks(keep), m);
            float[] compact = small.forward(ps, x, false).toFloatArray();
            double changed = 0;
            for (int i = 0; i < gated.length; i++) {
                assertThat(Math.abs(gated[i] - zeroed[i])).isLessThan(1e-4f);
                assertThat(Math.abs(compact[i] - zeroed[i])).isLessThan(1e-4f);
                changed = Math.max(changed, Math.abs(dense[i] - gated[i]));
            }
            assertThat(changed).as("removing blocks changes the function").isGreaterThan(1e-3);
            assertThat(units.removedBlocks(keep)).containsExactly("s1.b2", "s2.b1", "s3.b3");
            assertThat(DepthUnits.find(small.graph())).hasSize(6);
            // the projection of s2.b1 stays, as a plain conv + BN + ReLU
            assertThat(small.findLayer("s2.b1.shortcut")).isPresent();
            assertThat(small.findLayer("s2.b1.conv1")).isEmpty();
            assertThat(n.depth()).isEqualTo(20);
            assertThat(small.depth()).isEqualTo(20 - 2 * 3 + 1);
            double[] params = units.costs(PruneConfig.Budget.PARAMS);
            long removed = Math.round(params[1] + params[3] + params[8]);
            assertThat(small.paramCount()).isEqualTo(n.paramCount() - removed);
            double[] flops = units.costs(PruneConfig.Budget.FLOPS);
            assertThat(small.macs()).isEqualTo(n.macs() - Math.round(flops[1] + flops[3] + flops[8]));
            hard.close();
        }
    }

    @Test
    void softGatesPassGradientsToTheBlockScores() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = StructuredTest.init(m, "resnet20");
            DepthUnits units = new DepthUnits(n);
            NDArray scores = m.create(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f});
            scores.setRequiresGradient(true);
            NDArray x = m.randomNormal(n.inputShape(4));
            ParameterStore ps = new ParameterStore(m, false);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray mask = ai.djl.nn.Activation.sigmoid(scores);
                units.installMask(mask);
                gc.backward(n.forward(ps, x, true).square().sum());
            }
            float[] g = scores.getGradient().toFloatArray();
            for (float v : g) {
                assertThat(Float.isFinite(v)).isTrue();
            }
            assertThat(g).as("every block's gate gets a gradient").doesNotContain(0f);
            units.clearMask();
        }
    }

    @Test
    void costsAndErrors() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = StructuredTest.init(m, "resnet20");
            DepthUnits units = new DepthUnits(n);
            assertThat(units.costs(PruneConfig.Budget.COUNT)).containsOnly(1.0);
            // stage 1 blocks: two 16x16x3x3 convs with BN at 28x28
            assertThat(units.costs(PruneConfig.Budget.PARAMS)[0]).isEqualTo(2 * (16 * 16 * 9 + 32));
            assertThat(units.costs(PruneConfig.Budget.FLOPS)[0]).isEqualTo(2.0 * 28 * 28 * 16 * 16 * 9);
            assertThatThrownBy(() -> units.costs(PruneConfig.Budget.LATENCY)).hasMessageContaining("measured");
            double[] ms = units.measureLatency(m, 2, 5);
            assertThat(ms).hasSize(9);
            assertThat(java.util.Arrays.stream(ms).min().getAsDouble()).isGreaterThan(0);
            assertThat(units.costs(PruneConfig.Budget.LATENCY)).containsExactly(ms);
            assertThatThrownBy(() -> new DepthUnits(StructuredTest.init(m, "vgg-small")))
                    .hasMessageContaining("no").hasMessageContaining("residual");
            assertThatThrownBy(() -> PruneConfig.builder().granularity(PruneConfig.Granularity.STRUCTURED)
                    .budget(PruneConfig.Budget.LATENCY).sparsity(0.5).build()).hasMessageContaining("depth");
            // a format-1 description of a depth-pruned resnet20 (the old way of storing one)
            List<Integer> widths = List.of(16, 32, 64, 16, 16, 16, 32, 32, 32, 64, 64, 64);
            Graph built = new LegacyModel.Architecture("resnet20", widths, 1, 28, 28, 10, List.of("s3.b2")).graph();
            assertThat(DepthUnits.find(built)).hasSize(8);
            assertThatThrownBy(() -> new LegacyModel.Architecture("resnet20", widths, 1, 28, 28, 10,
                    List.of("nope")).graph()).hasMessageContaining("nope");
        }
    }
}
