package io.otprune.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import io.otprune.data.ImageSet;
import io.otprune.data.Normalization;
import io.otprune.model.PrunableLayer;
import io.otprune.model.Network;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FoldingTest {

    static ImageSet randomImages(int n, SplittableRandom r) {
        byte[] px = new byte[n * 784];

        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) r.nextInt(256);
        }
        return new ImageSet(px, new byte[n], n, 28, 28);
    }

    @Test
    void denseLayersWithConstantRelusFoldExactly() {
        SplittableRandom r = new SplittableRandom(1);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(1);
            Network n = StructuredTest.init(m, "mlp-300-100");
            // fc2: channels 0-59 always on (large bias), 60-99 always off (zero weights, negative bias)
            float[] w = n.layer("fc2").weight().getArray().toFloatArray();
            float[] b = new float[100];
            for (int o = 0; o < 100; o++) {
                b[o] = o < 60 ? 500f : -1f;
                if (o >= 60) {
                    java.util.Arrays.fill(w, o * 300, (o + 1) * 300, 0f);
                }
            }
            n.layer("fc2").weight().getArray().set(w);
            n.layer("fc2").bias().getArray().set(b);
            ImageSet images = randomImages(200, r);
            Normalization norm = new Normalization(0.5, 0.25);
            List<ActivationEntropy.Layer> h = ActivationEntropy.measure(n, m, images, norm, 200);
            assertThat(h).extracting(ActivationEntropy.Layer::name).containsExactly("fc1", "fc2");
            ActivationEntropy.Layer fc2 = h.get(1);
            assertThat(fc2.alwaysOn()).isEqualTo(60);
            assertThat(fc2.alwaysOff()).isEqualTo(40);
            assertThat(fc2.removable()).isTrue();
            assertThat(fc2.entropy()).isZero();
            assertThat(h.get(0).removable()).isFalse();
            assertThat(h.get(0).entropy()).isBetween(0.3, 1.0);
            assertThat(Folding.foldable(n, "fc2")).isTrue();
            Network folded = Folding.foldDense(n, Map.of("fc2", fc2.alwaysOnMask()), m);
            assertThat(folded.layers()).hasSize(2);
            assertThat(folded.findLayer("fc2")).isEmpty();
            assertThat(folded.graph().has("fc2.relu")).isFalse();
            assertThat(Compactor.difference(n, folded, m, images, norm).equal()).isTrue();
            // both hidden layers at once (fc1 forced on as well): one linear layer is left
            n.layer("fc1").bias().getArray().set(filled(300, 1000f));
            float[] b2 = b.clone();
            for (int o = 0; o < 60; o++) {
                b2[o] = 1e5f;
            }
            n.layer("fc2").bias().getArray().set(b2);
            List<ActivationEntropy.Layer> both = ActivationEntropy.measure(n, m, images, norm, 200);
            assertThat(both).allMatch(ActivationEntropy.Layer::removable);
            Network one = Folding.foldDense(n, Map.of("fc1", both.get(0).alwaysOnMask(), "fc2",
                    both.get(1).alwaysOnMask()), m);
            assertThat(one.layers()).hasSize(1);
            assertThat(one.layer("fc3").inChannels()).isEqualTo(784);
            Compactor.Difference d = Compactor.difference(n, one, m, images, norm);
            assertThat(d.equal()).as("%s", d).isTrue();
            // and a real change is not "equal": dropping fc2's on-channels
            Network wrong = Folding.foldDense(n, Map.of("fc2", new boolean[100]), m);
            assertThat(Compactor.difference(n, wrong, m, images, norm).equal()).isFalse();
        }
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void batchNormFoldsIntoTheConvBeforeIt() {
        SplittableRandom r = new SplittableRandom(2);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = StructuredTest.init(m, "vgg-small");
            StructuredTest.randomiseBatchNorm(n, m, r);
            PrunableLayer conv = n.layer("conv2");
            NDArray x = m.randomNormal(new Shape(4, 32, 14, 14));
            ParameterStore ps = new ParameterStore(m, false);
            // conv2 and its BN alone, on x
            float[][] seen = {n.block().runNodes(ps, "conv1.relu", x, List.of("conv2", "conv2.bn"), false)
                    .toFloatArray()};
            var bn = n.block().blockOf("conv2.bn").getDirectParameters();
            Folding.Folded f = Folding.foldBatchNorm(conv.weight().getArray().toFloatArray(), null, 32,
                    bn.get("gamma").getArray().toFloatArray(), bn.get("beta").getArray().toFloatArray(),
                    bn.get("runningMean").getArray().toFloatArray(), bn.get("runningVar").getArray().toFloatArray(),
                    1e-5);
            float[] y = Conv2d.conv2d(x, m.create(f.weight(), new Shape(32, 32, 3, 3)), m.create(f.bias()),
                    new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow().toFloatArray();
            for (int i = 0; i < y.length; i++) {
                assertThat((double) y[i]).isCloseTo(seen[0][i], within(1e-4 * (1 + Math.abs(seen[0][i]))));
            }
        }
    }

    @Test
    void entropyOfKnownProbabilities() {
        assertThat(ActivationEntropy.binaryEntropy(0.5)).isCloseTo(1.0, within(1e-12));
        assertThat(ActivationEntropy.binaryEntropy(0.0)).isZero();
        assertThat(ActivationEntropy.binaryEntropy(1.0)).isZero();
        assertThat(ActivationEntropy.binaryEntropy(0.11)).isCloseTo(0.4999, within(1e-3));
    }
}
