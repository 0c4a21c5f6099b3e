package io.otprune.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PruneConfig#channelMultiple}: every channel group keeps a multiple of it (or all), within the budget. */
class ChannelMultipleTest {
    static final Path RESNET20 = Path.of(System.getProperty("otprune.repo", "."))
            .resolve("sample-models/resnet20-fmnist");

    @Test
    void keptChannelCountsAreMultiplesAndTheBudgetHolds() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network net = ModelStore.load(RESNET20, m).network();
            PruneUnits units = PruneUnits.of(net, PruneConfig.Granularity.STRUCTURED);
            List<UnitSet> sets = units.sets();
            for (PruneConfig.Budget budget : List.of(PruneConfig.Budget.COUNT, PruneConfig.Budget.PARAMS,
                    PruneConfig.Budget.FLOPS)) {
                for (int multiple : new int[] {1, 4, 8}) {
                    PruneConfig pc = PruneConfig.builder().method(PruneConfig.Method.MAGNITUDE)
                            .granularity(PruneConfig.Granularity.STRUCTURED).budget(budget).sparsity(0.5)
                            .channelMultiple(multiple).build();
                    boolean[][] keep = FloorsTest.select(units, pc);
                    for (int j = 0; j < sets.size(); j++) {
                        int k = FloorsTest.kept(keep[j]);
                        assertThat(k % multiple == 0 || k == sets.get(j).size())
                                .as("%s ×%d: %s keeps %d of %d", budget, multiple, sets.get(j).name(), k,
                                        sets.get(j).size())
                                .isTrue();
                        assertThat(k).isPositive();
                    }
                    Accounting acc = units.account(keep, budget);
                    // never over the budget; under it by at most one group of channels' worth (resnet20's
                    // narrowest groups are 16 wide, so 8 channels are a coarse step)
                    assertThat(acc.achieved()).as("%s ×%d", budget, multiple).isGreaterThanOrEqualTo(0.5)
                            .isLessThan(multiple == 1 ? 0.52 : 0.6);
                }
            }
        }
    }

    @Test
    void onlyForChannels() {
        assertThatThrownBy(() -> PruneConfig.builder().channelMultiple(8).build())
                .hasMessageContaining("--granularity structured");
        assertThatThrownBy(() -> PruneConfig.builder().granularity(PruneConfig.Granularity.STRUCTURED)
                .method(PruneConfig.Method.MAGNITUDE).channelMultiple(-1).build())
                .hasMessageContaining("1..256");
        assertThat(PruneConfig.builder().granularity(PruneConfig.Granularity.STRUCTURED).channelMultiple(0).build()
                .channelMultiple()).isEqualTo(1);
    }
}
