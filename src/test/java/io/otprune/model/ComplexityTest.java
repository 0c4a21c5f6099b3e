package io.otprune.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameter and multiply-add counts against figures computed by hand from the layer shapes. */
class ComplexityTest {

    private static Network build(String id) {
        return new Network(Architectures.graph(id, 1, 28, 28, 10));
    }

    private static Network init(NDManager m, String id) {
        Network n = build(id);
        n.initialize(m);
        return n;
    }

    private static long params(Network n, String... nodes) {
        long p = 0;
        for (String node : nodes) {
            p += n.graph().params(n.graph().node(node));
        }
        return p;
    }

    private static String shortcutOf(Network n, io.otprune.prune.DepthUnits.Residual b) {
        Node add = n.graph().node(b.add());
        return add.inputs().get(0).equals(b.tail()) ? add.inputs().get(1) : add.inputs().get(0);
    }

    @Test
    void mlp() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = init(m, "mlp-300-100");
            // 784*300+300 + 300*100+100 + 100*10+10
            assertThat(n.paramCount()).isEqualTo(266_610);
            assertThat(n.macs()).isEqualTo(784 * 300 + 300 * 100 + 100 * 10);
            assertThat(params(n, "fc1")).isEqualTo(235_500);
        }
    }

    @Test
    void lenet5() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = init(m, "lenet5");
            // conv1 20*25+20, conv2 50*20*25+50, fc1 800*500+500, fc2 500*10+10
            assertThat(n.paramCount()).isEqualTo(431_080);
            assertThat(n.layer("conv1").macs()).isEqualTo(24 * 24 * 20 * 25);
            assertThat(n.layer("conv2").macs()).isEqualTo(8 * 8 * 50 * 20 * 25);
            assertThat(n.macs()).isEqualTo(288_000 + 1_600_000 + 400_000 + 5_000);
        }
    }

    @Test
    void vggSmall() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = init(m, "vgg-small");
            // conv (no bias) + BN gamma/beta: 288+64, 9216+64, 18432+128, 36864+128, 73728+256, 147456+256; fc 1290
            assertThat(n.paramCount()).isEqualTo(288_170);
            assertThat(params(n, "conv4", "conv4.bn")).isEqualTo(36_992);
            // 28x28: 784*(288+9216); 14x14: 196*(18432+36864); 7x7: 49*(73728+147456); fc 1280
            assertThat(n.macs()).isEqualTo(29_128_448L);
            assertThat(n.paramCount()).isLessThanOrEqualTo(1_000_000);
        }
    }

    @Test
    void resnet20() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = init(m, "resnet20");
            // stem 176; stage1 6*2336; stage2 4672+9280+576+4*9280; stage3 18560+36992+2176+4*36992; fc 650
            assertThat(n.paramCount()).isEqualTo(272_186);
            assertThat(params(n, "s2.b1.shortcut", "s2.b1.shortcut.bn")).isEqualTo(576);
            assertThat(n.layer("s2.b1.shortcut").macs()).isEqualTo(196 * 512);
            assertThat(n.macs()).isEqualTo(112_896L + 10_838_016L + 10_035_200L + 10_035_200L + 640L);
            List<io.otprune.prune.DepthUnits.Residual> blocks = io.otprune.prune.DepthUnits.find(n.graph());
            assertThat(blocks).hasSize(9);
            // the two projection blocks' shortcuts are convs of their own, outside the branch
            assertThat(blocks.stream().filter(b -> !b.fork().equals(shortcutOf(n, b)))).hasSize(2);
            // 19 convs + fc + 2 projection shortcuts
            assertThat(n.layers()).hasSize(22);
        }
    }

    @Test
    void layerCountsSumToModelCounts() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (String id : Architectures.ids()) {
                Network n = init(m, id);
                long sum = n.graph().nodes().stream().mapToLong(n.graph()::params).sum();
                assertThat(sum).as(id).isEqualTo(n.paramCount());
                long macs = n.layers().stream().mapToLong(PrunableLayer::macs).sum();
                assertThat(macs).as(id).isEqualTo(n.macs());
            }
        }
    }
}
