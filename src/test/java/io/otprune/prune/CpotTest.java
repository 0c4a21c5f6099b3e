package io.otprune.prune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CpotTest {

    @Test
    void channelsLikeTheOthersScoreLowAnOutlierHigh() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(1);
            Network n = StructuredTest.init(m, "lenet5");
            PrunableLayer conv2 = n.layer("conv2");
            float[] w = conv2.weight().getArray().toFloatArray();
            int per = w.length / conv2.outChannels();
            SplittableRandom r = new SplittableRandom(2);
            // channel 7: weights of another distribution (spread out, bimodal); the rest stay He-normal
            for (int i = 0; i < per; i++) {
                w[7 * per + i] = (float) ((r.nextBoolean() ? 1 : -1) * 0.3 + 0.01 * r.nextGaussian());
            }
            conv2.weight().getArray().set(w);
            List<UnitSet> sets = PruneUnits.of(n, PruneConfig.Granularity.STRUCTURED).sets();
            UnitSet group = sets.stream().filter(u -> u.name().equals("conv2")).findFirst().orElseThrow();
            float[] d = Cpot.scores(List.of(group)).get(0);
            int max = 0;
            for (int c = 0; c < d.length; c++) {
                assertThat(d[c]).isGreaterThanOrEqualTo(0f);
                if (d[c] > d[max]) {
                    max = c;
                }
            }
            assertThat(max).isEqualTo(7);
        }
    }

    @Test
    void mergingAnExactDuplicateChannelKeepsTheFunction() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(3);
            Network n = StructuredTest.init(m, "lenet5");
            // conv1 channel 5 := a copy of channel 2 (weights and bias): its activations equal channel 2's
            PrunableLayer conv1 = n.layer("conv1");
            float[] w = conv1.weight().getArray().toFloatArray();
            int per = w.length / conv1.outChannels();
            System.arraycopy(w, 2 * per, w, 5 * per, per);
            conv1.weight().getArray().set(w);
            float[] b = conv1.bias().getArray().toFloatArray();
            b[2] = 0.1f;
            b[5] = 0.1f;
            conv1.bias().getArray().set(b);
            NDArray x = m.randomNormal(n.inputShape(8));
            ParameterStore ps = new ParameterStore(m, false);
            float[] before = n.forward(ps, x, false).toFloatArray();
            List<UnitSet> sets = PruneUnits.of(n, PruneConfig.Granularity.STRUCTURED).sets();
            boolean[][] keep = new boolean[sets.size()][];
            for (int j = 0; j < sets.size(); j++) {
                keep[j] = new boolean[sets.get(j).size()];
                java.util.Arrays.fill(keep[j], true);
            }
            int conv1Set = sets.indexOf(sets.stream().filter(u -> u.name().equals("conv1")).findFirst().orElseThrow());
            keep[conv1Set][5] = false;
            // dropping channel 5 changes the output; merging it into its twin does not
            HardMasks dropped;
            try (NDManager probe = m.newSubManager()) {
                sets.get(conv1Set).installMask(sets.get(conv1Set).maskArray(probe, keep[conv1Set]));
                float[] drop = n.forward(ps, x, false).toFloatArray();
                double diff = 0;
                for (int i = 0; i < drop.length; i++) {
                    diff = Math.max(diff, Math.abs(drop[i] - before[i]));
                }
                assertThat(diff).isGreaterThan(1e-3);
                sets.get(conv1Set).clearMask();
            }
            Cpot.merge(sets, keep);
            dropped = new HardMasks(sets, keep, m);
            Network small = Compactor.compact(n, ((ChannelUnits) sets.get(0)).graph(),
                    Compactor.keptChannels(sets, keep), m);
            float[] after = small.forward(ps, x, false).toFloatArray();
            for (int i = 0; i < after.length; i++) {
                assertThat(Math.abs(after[i] - before[i])).isLessThan(1e-4f);
            }
            assertThat(small.layer("conv1").outChannels()).isEqualTo(conv1.outChannels() - 1);
            dropped.close();
        }
    }
}
